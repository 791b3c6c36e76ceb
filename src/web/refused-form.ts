import type { FieldError } from '../common/domain-error.js';
import { formatError } from '../messages/catalog.js';
import type { Locale } from '../messages/locales.js';
import { escapeHtml } from '../messages/escape-html.js';

/** A form whose post was refused, shown again with what was typed and why it was refused. */
export class RefusedForm {
  constructor(
    /** The form's id in the page. */
    readonly id: string,
    /** The refusal, in the page's language. */
    readonly message: string,
    private readonly fieldErrors: FieldError[],
    private readonly values: Record<string, string | string[]>,
    private readonly lang: Locale,
  ) {}

  /** What was posted in a field, to fill it again. */
  value(name: string): string | undefined {
    const value = this.values[name];
    return Array.isArray(value) ? value.join('\n') : value;
  }

  /** The error of a field, naming it by its label on the page. */
  fieldError(name: string, label: string): string | undefined {
    const error = this.fieldErrors.find(
      (candidate) => candidate.field === name || candidate.field.startsWith(`${name}[`),
    );
    return error && formatError(error.messageKey, { ...error.params, field: label }, this.lang);
  }
}

/** What a page's template asks of one of its forms (`it.form('status-update')`). */
export interface FormState {
  /** Whether this form was just posted (refused or done): a form folded away is shown open. */
  justPosted: boolean;
  /** The value to fill a field with: what was posted when the form was refused, else `current`. */
  value(name: string, current?: string | number | null): string;
  /** A field's attributes when it was refused: invalid, described by its error, focused first. */
  invalid(name: string, inputId: string): string;
  /** A field's error next to it, as HTML naming the field by its label; '' when it has none. */
  error(name: string, inputId: string, label: string): string;
  /**
   * The form's message box: its refusal, or the confirmation of its post, which takes the focus;
   * else empty and hidden for the script to fill.
   */
  message(): string;
}

export function formState(
  id: string,
  refused: RefusedForm | null,
  confirmation: string | null,
): FormState {
  const mine = refused?.id === id ? refused : null;
  return {
    justPosted: mine !== null || confirmation !== null,
    value: (name, current) => mine?.value(name) ?? (current == null ? '' : String(current)),
    invalid: (name, inputId) =>
      mine?.fieldError(name, name)
        ? ` aria-invalid="true" aria-describedby="${inputId}-error" autofocus`
        : '',
    error: (name, inputId, label) => {
      const message = mine?.fieldError(name, label);
      return message
        ? `<p class="field-error" id="${inputId}-error">${escapeHtml(message)}</p>`
        : '';
    },
    message: () =>
      mine
        ? // A refused field before it takes the focus first (the first autofocus wins).
          `<div class="form-error" role="alert" tabindex="-1" autofocus>${escapeHtml(mine.message)}</div>`
        : confirmation
          ? `<div class="form-error" role="alert" hidden></div><p class="notice done" role="status" tabindex="-1" autofocus><span aria-hidden="true">✔</span> ${escapeHtml(confirmation)}</p>`
          : '<div class="form-error" role="alert" hidden></div>',
  };
}
