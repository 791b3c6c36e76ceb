import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/roles.js';
import { CommonErrors, ValidationFieldErrors } from '../common/common.errors.js';
import { DomainError, invalidField } from '../common/domain-error.js';
import { createValidationPipe } from '../common/validation.js';
import { formatError, formatMessage } from '../messages/catalog.js';
import { PageRenderer } from './page-renderer.js';
import { RefusedForm } from './refused-form.js';

const validation = createValidationPipe();

/**
 * How a posted field becomes the API's value, since a form posts only text: `number`; `lines`, the
 * non-empty lines of a text area as a list; `list`, repeated fields (`formats[]`) as a list;
 * `levelOrNull`, a level or `null` for "not applicable"; `clearable`, where an emptied field
 * clears the value (null) instead of leaving it out; `boolean`, `true` or `false`, where a
 * checkbox follows a hidden `false` of its name (so that an unticked box still says so).
 */
export type FieldKind = 'number' | 'lines' | 'list' | 'levelOrNull' | 'clearable' | 'boolean';

/**
 * A form post's fields, without the CSRF token: text, or a repeated field's texts. A form posts
 * nothing else, so anything else (a number, an object, from a client that is not a form) is refused.
 */
export function postedFields(body: unknown): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  if (body === undefined || body === null) return fields;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalidField('body', ValidationFieldErrors.body_not_object);
  }
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf') continue;
    const text = (item: unknown) => typeof item === 'string';
    if (!(text(value) || (Array.isArray(value) && value.every(text)))) {
      throw invalidField(name, ValidationFieldErrors.is_string, { each: 'no' });
    }
    fields[name] = value as string | string[];
  }
  return fields;
}

/**
 * A page's filters and paging from its address, through the API's query DTO: `lang` is the page's
 * own, and a field the filter form sent empty ("any") filters nothing. Refused: the page's 400.
 */
export function pageQuery<T extends object>(
  rawQuery: Record<string, unknown>,
  metatype: new () => T,
  fixed: Record<string, unknown> = {},
): Promise<T> {
  const { lang: _lang, ...fields } = rawQuery;
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
  return validation.transform({ ...given, ...fixed }, { type: 'query', metatype });
}

/**
 * The posted fields as the API's JSON body: `a.b` nests (an empty one still makes `a`: a region
 * left at "all countries" is the scope `{}`), `x[]` names a list, an empty field is left out
 * (unless clearable), and each field of `kinds` is converted.
 */
export function apiInput(
  fields: Record<string, string | string[]>,
  kinds: Record<string, FieldKind> = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [postedName, posted] of Object.entries(fields)) {
    const name = postedName.replace(/\[\]$/, '');
    const value = apiValue(posted, kinds[name]);
    // The object of an `a.b` field is there even when the field is empty: the form posted it.
    const path = name.split('.');
    let target = body;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    if (value !== undefined) target[path[path.length - 1]] = value;
  }
  return body;
}

/** One posted field as the API's value; undefined leaves it out. */
function apiValue(posted: string | string[], kind: FieldKind | undefined): unknown {
  if (kind === 'list' || kind === 'lines') {
    const texts = [posted].flat();
    const items =
      kind === 'list'
        ? texts
        : texts
            .join('\n')
            .split(/\r?\n/)
            .map((line) => line.trim());
    const kept = items.filter((item) => item !== '');
    return kept.length > 0 ? kept : undefined;
  }
  if (kind === 'boolean') {
    // Ticked, the box posts its `true` after the hidden `false`; anything else stays as it came.
    const value = Array.isArray(posted) && posted.join() === 'false,true' ? 'true' : posted;
    return value === 'true' ? true : value === 'false' ? false : value;
  }
  // A field posted twice that is not a list stays a list, which the DTO refuses.
  if (Array.isArray(posted)) return posted;
  if (posted === '') return kind === 'clearable' ? null : undefined;
  // Only digits make a number: anything else stays text, which the DTO refuses.
  const number = /^\d{1,10}$/.test(posted) ? Number(posted) : posted;
  if (kind === 'number') return number;
  if (kind === 'levelOrNull') return posted === 'null' ? null : number;
  return posted;
}

/** A page as a form's route shows it: its view, and the view's data. */
export interface PageView {
  view: string;
  data: { title: string } & Record<string, unknown>;
}

/** A page's form: the API's DTO it posts, the action, and where the user goes after. */
interface PageFormBase<T, R> {
  /** The form's id in the page, where a refusal is shown. */
  id: string;
  /** The API's body the fields must make; none for a form that posts only a button. */
  dto?: new () => T;
  kinds?: Record<string, FieldKind>;
  action: (input: T) => Promise<R>;
  /** The page to go back to: the form's page, shown again with the confirmation. */
  back: string;
  /** The form's page as it is now, to show it again with the refusal. */
  page: () => Promise<PageView>;
}

/** A form whose user is sent back to its page, where a confirmation says it was done. */
interface ConfirmedForm<T, R> extends PageFormBase<T, R> {
  /** The catalog key (pages) of the confirmation shown after it. */
  done: string;
  /**
   * Where the confirmation is shown: at the top of the page (default), or at the form when the
   * form is still there after its post (a saved answer, an edited milestone).
   */
  confirmAt?: 'page' | 'form';
  answer?: never;
}

/**
 * A form whose post answers with the page itself, showing what the action answered (200, or the
 * status given: 201 for a thing created): a thing shown once (a new token), or a result kept
 * nowhere else (what a channel said to a test message).
 */
interface AnsweredForm<T, R> extends PageFormBase<T, R> {
  answer: (result: R, input: T) => Promise<PageView & { status?: number }>;
  done?: never;
  confirmAt?: never;
}

export type PageForm<T, R = unknown> = ConfirmedForm<T, R> | AnsweredForm<T, R>;

/**
 * The pages' forms post to the server, so that each one works without JavaScript: the posted
 * fields go through the API's DTO and the same service as the API, then the browser is sent back
 * to the page (303) where a confirmation says what happened; a refusal shows the page again with
 * the message at the form, each field's error next to it, and what the user typed.
 */
@Injectable()
export class PageForms {
  constructor(private readonly pages: PageRenderer) {}

  async submit<T extends object, R = unknown>(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    /** The posted body (the route's `@Body()`), or nothing for a form of only a button. */
    body: unknown,
    form: PageForm<T, R>,
  ): Promise<void> {
    let fields: Record<string, string | string[]> = {};
    let input: T | undefined;
    let result: R;
    try {
      fields = postedFields(body);
      input = form.dto
        ? await validation.transform(apiInput(fields, form.kinds), {
            type: 'body',
            metatype: form.dto,
          })
        : undefined;
      result = await form.action(input as T);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500 || error.status === 401) {
        throw error;
      }
      const lang = this.pages.language(request, actor.user);
      const refused = new RefusedForm(
        form.id,
        // The API's "see errors" points at its `errors[]`; a page's fields carry their own.
        error.entry === CommonErrors.validation_failed
          ? formatMessage('pages', lang, 'formHasErrors')
          : formatError(error.entry.messageKey, error.params, lang),
        error.errors ?? [],
        fields,
        lang,
      );
      const { view, data } = await form.page();
      await this.pages.render(
        request,
        reply,
        view,
        { ...data, pageUrl: form.back, refused },
        actor.user,
        error.status,
      );
      return;
    }
    if (form.answer) {
      const { view, data, status } = await form.answer(result, input as T);
      const page = { ...data, pageUrl: form.back };
      await this.pages.render(request, reply, view, page, actor.user, status);
      return;
    }
    // No #fragment: a browser does not autofocus (the confirmation) on a page opened at one.
    this.pages.confirm(reply, form.done, form.confirmAt === 'form' ? form.id : undefined);
    await reply.redirect(form.back, 303);
  }
}
