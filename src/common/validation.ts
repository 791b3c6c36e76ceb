import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { type ValidationError, type ValidationOptions, getMetadataStorage } from 'class-validator';
import type { ErrorParams } from '../messages/catalog.js';
import { ValidationFieldErrors } from './common.errors.js';
import { type FieldError, fieldError, invalidField, validationFailed } from './domain-error.js';
import { fieldErrorEntries, type FieldErrorEntry } from './error-catalog.js';

/**
 * A DTO's rule with a catalog message of its own instead of its constraint's, e.g.
 * `@Matches(/^[A-Z]{2}$/, catalogMessage('country_code'))`: the field error's code and message
 * come from that key.
 */
export function catalogMessage(
  key: string,
  options: Omit<ValidationOptions, 'message' | 'context'> = {},
): ValidationOptions {
  return { ...options, context: { catalogKey: key } };
}

/** class-validator constraint names whose code is not their name in snake case. */
const CODE_OF_CONSTRAINT: Record<string, string> = {
  whitelistValidation: 'unknown_field',
  nestedValidation: 'nested_object',
  isLength: 'length',
  isUuid: 'is_uuid',
  isUUID: 'is_uuid',
};

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The field error entry of a class-validator constraint, or of the catalog key a rule names. */
export function constraintEntry(constraint: string, catalogKey?: string): FieldErrorEntry {
  const key = catalogKey ?? CODE_OF_CONSTRAINT[constraint] ?? snakeCase(constraint);
  return (
    fieldErrorEntries().find((entry) => entry.messageKey === key) ?? ValidationFieldErrors.invalid
  );
}

/**
 * The arguments of a DTO's rule (Length's min and max, IsIn's values...), from class-validator's
 * metadata: its ValidationError carries only its English sentence.
 */
function constraintParams(error: ValidationError, constraint: string): ErrorParams {
  const target = error.target as object | undefined;
  const metadata = target
    ? getMetadataStorage()
        .getTargetValidationMetadatas(target.constructor, '', true, false)
        .find((rule) => rule.propertyName === error.property && rule.name === constraint)
    : undefined;
  const args = (metadata?.constraints ?? []) as unknown[];
  const each = metadata?.each ? 'yes' : 'no';
  switch (constraint) {
    case 'isLength':
      return { each, min: Number(args[0] ?? 0), max: Number(args[1] ?? 0) };
    case 'minLength':
    case 'min':
    case 'arrayMinSize':
      return { each, min: Number(args[0]) };
    case 'maxLength':
    case 'max':
    case 'arrayMaxSize':
      return { each, max: Number(args[0]) };
    case 'isIn':
      return { each, values: ((args[0] ?? []) as unknown[]).join(', ') };
    default:
      return { each };
  }
}

/**
 * class-validator's errors as field errors with catalog codes and messages: its English default
 * sentences never reach the caller. The message names the property as the DTOs always did.
 */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.keys(error.constraints ?? {}).map((constraint) => {
      const custom = (error.contexts?.[constraint] as { catalogKey?: string } | undefined)
        ?.catalogKey;
      const entry = constraintEntry(constraint, custom);
      // The message names the property alone, the field its whole path.
      return { ...fieldError(error.property, entry, constraintParams(error, constraint)), field };
    });
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Far deeper than any DTO of the API, and shallow enough for the recursive walks that follow. */
const MAX_DEPTH = 16;

/**
 * Keys that name members of Object.prototype: class-transformer drops them without a word, so
 * whitelisting never sees them to refuse them.
 */
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The first part of an input that the validation below cannot judge: a string holding NUL, which
 * PostgreSQL cannot store; a key named after a prototype member; or nesting so deep that the
 * recursive class-transformer would overflow the stack. Iterative, so depth cannot break it.
 */
function unsafePart(value: unknown, root: string): FieldError | undefined {
  const pending: [unknown, string, number][] = [[value, root, 0]];
  while (pending.length > 0) {
    const [item, path, depth] = pending.pop()!;
    const field = path || 'body';
    if (typeof item === 'string' && item.includes('\u0000')) {
      return fieldError(field, ValidationFieldErrors.nul_character);
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth === MAX_DEPTH) return fieldError(field, ValidationFieldErrors.nested_too_deeply);
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        return fieldError(childPath, ValidationFieldErrors.unknown_field);
      }
      pending.push([child, childPath, depth + 1]);
    }
  }
  return undefined;
}

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Our own decorators' values (the actor, the client) are not input.
    if (metadata.type === 'custom') return super.transform(value, metadata);
    // Nest would read a JSON null as an empty body, and accept it where every field is optional.
    if (metadata.type === 'body' && value === null) {
      throw invalidField('body', ValidationFieldErrors.body_not_object);
    }
    const unsafe = unsafePart(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (unsafe) throw validationFailed([unsafe]);
    return super.transform(value, metadata);
  }
}

/** The one validation pipe: unknown fields are refused, every problem is listed. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    // The target, to find the rules' arguments in class-validator's metadata; never answered.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
