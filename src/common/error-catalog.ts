/**
 * The catalog of error codes. Each module declares its codes once, with defineErrors (problems:
 * an HTTP status, a code and a message key) and defineFieldErrors (items of `errors[]`); every
 * entry lands in one registry, which the OpenAPI document lists and the tests check against the
 * message catalog (src/messages/errors).
 */

/** A problem the API answers: HTTP status, stable `code`, and the key of its message. */
export interface ErrorEntry {
  readonly kind: 'problem';
  readonly status: number;
  readonly code: string;
  readonly messageKey: string;
}

/** A problem with one field (an item of `errors[]`): stable `code` and the key of its message. */
export interface FieldErrorEntry {
  readonly kind: 'field';
  readonly code: string;
  readonly messageKey: string;
}

interface ErrorDefinition {
  status: number;
  /** The `code` answered when several messages share one: by default the entry's own name. */
  code?: string;
}

const problems = new Map<string, ErrorEntry>();
const fields = new Map<string, FieldErrorEntry>();

function register<E extends ErrorEntry | FieldErrorEntry>(entry: E): E {
  if (problems.has(entry.messageKey) || fields.has(entry.messageKey)) {
    throw new Error(`The error message key ${entry.messageKey} is defined twice`);
  }
  if (entry.kind === 'problem') problems.set(entry.messageKey, entry);
  else fields.set(entry.messageKey, entry);
  return entry;
}

/** Declares a module's problems; the names are message keys, and codes unless `code` says. */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(
  definitions: T,
): { readonly [K in keyof T & string]: ErrorEntry } {
  return Object.fromEntries(
    Object.entries(definitions).map(([name, definition]) => [
      name,
      register<ErrorEntry>(
        Object.freeze({
          kind: 'problem',
          status: definition.status,
          code: definition.code ?? name,
          messageKey: name,
        }),
      ),
    ]),
  ) as { readonly [K in keyof T & string]: ErrorEntry };
}

/** Declares a module's field errors; the names are their codes and message keys. */
export function defineFieldErrors<const T extends readonly string[]>(
  names: T,
): { readonly [K in T[number]]: FieldErrorEntry } {
  return Object.fromEntries(
    names.map((name) => [
      name,
      register<FieldErrorEntry>(Object.freeze({ kind: 'field', code: name, messageKey: name })),
    ]),
  ) as { readonly [K in T[number]]: FieldErrorEntry };
}

/** Every problem entry defined so far (every module's, once the app module is loaded). */
export function problemEntries(): ErrorEntry[] {
  return [...problems.values()];
}

/** Every field error entry defined so far. */
export function fieldErrorEntries(): FieldErrorEntry[] {
  return [...fields.values()];
}

/** The distinct problem codes, sorted: what `code` of a problem+json answer may be. */
export function problemCodes(): string[] {
  return [...new Set(problemEntries().map((entry) => entry.code))].sort();
}

/** The distinct field error codes, sorted: what `errors[].code` may be. */
export function fieldErrorCodes(): string[] {
  return [...new Set(fieldErrorEntries().map((entry) => entry.code))].sort();
}
