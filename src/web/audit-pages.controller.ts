import { Readable } from 'node:stream';
import { DateTime } from 'luxon';
import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUDIT_ENTITY_TYPES } from '../audit/audit-actions.js';
import { AuditLogQuery } from '../audit/audit-log.query.js';
import { type AuditEntryView, type AuditExportRow, AuditQuery } from '../audit/dto/audit.dto.js';
import { AccessPolicy, READ_RIGHTS } from '../auth/access-policy.js';
import { Roles } from '../auth/access.decorators.js';
import { CurrentActor } from '../auth/actor.decorator.js';
import type { Actor, Principal } from '../auth/roles.js';
import { ValidationFieldErrors } from '../common/common.errors.js';
import { csvCell } from '../common/csv.js';
import { DomainError, fieldError as withField } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { createValidationPipe } from '../common/validation.js';
import { formatError, hasMessage } from '../messages/catalog.js';
import { type Translate, translator } from './i18n.js';
import { PageErrorFilter } from './page-error.filter.js';
import { PageRenderer } from './page-renderer.js';
import { RefusedForm } from './refused-form.js';

const validation = createValidationPipe();

/** The filters of the page and its export, by their API names (GET /api/v1/audit). */
const FILTERS = ['entityType', 'entityId', 'countryCode', 'actorId', 'from', 'to'] as const;
const FORM_ID = 'audit-filters';

type Fields = Record<string, string | string[]>;

/** The query's fields as a form posts them: text, or a repeated field's texts (which are refused). */
function textFields(rawQuery: Record<string, unknown>): Fields {
  const fields: Fields = {};
  for (const [name, value] of Object.entries(rawQuery)) {
    if (name === 'lang') continue;
    if (typeof value === 'string') fields[name] = value;
    else if (Array.isArray(value)) fields[name] = value.map(String);
  }
  return fields;
}

/** A calendar day, YYYY-MM-DD, that exists. */
function isCalendarDay(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    DateTime.fromISO(value, { zone: 'UTC' }).isValid
  );
}

/** The instant a day starts in a time zone (`days` later than the one given), as ISO 8601. */
function startOfDay(day: string, timeZone: string, days = 0): string {
  return DateTime.fromISO(day, { zone: timeZone }).plus({ days }).toUTC().toISO()!;
}

/**
 * The page's filters as the API's query: a day of the date fields becomes the instant it starts
 * in the reader's time zone, and "to" takes in its whole day; anything else goes to the API's DTO
 * as it is, which refuses what it would refuse on the API.
 */
function apiQuery(fields: Fields, timeZone: string): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === '') continue;
    const day = (name === 'from' || name === 'to') && isCalendarDay(value);
    query[name] = day ? startOfDay(value, timeZone, name === 'to' ? 1 : 0) : value;
  }
  return query;
}

/**
 * The filters as a query string (`?...`, or '' for none); with a page (and the page size asked
 * for), for the pager's links.
 */
function queryString(fields: Fields, page?: number): string {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = fields[name];
    if (typeof value === 'string' && value !== '') params.set(name, value);
  }
  if (page !== undefined) {
    if (typeof fields.pageSize === 'string' && fields.pageSize !== '') {
      params.set('pageSize', fields.pageSize);
    }
    if (page > 1) params.set('page', String(page));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** An action in words; an action the catalog does not know yet, as its code. */
function actionText(t: Translate, action: string): string {
  return hasMessage('pages', `action.${action}`) ? t(`action.${action}`) : action;
}

/** A kind of object in words, or its code when the catalog does not know it. */
function objectTypeText(t: Translate, entityType: string): string {
  return hasMessage('pages', `auditObject.${entityType}`)
    ? t(`auditObject.${entityType}`)
    : entityType;
}

/**
 * The audit trail as a page: who did what to which object, in words, filtered and paged as the
 * API's GET /audit is (the same query, the same scope), and its CSV export with the same filters.
 */
@ApiExcludeController()
@UseFilters(PageErrorFilter)
@Controller('app')
export class AuditPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly auditLog: AuditLogQuery,
    private readonly policy: AccessPolicy,
  ) {}

  @Get('audit')
  @Roles(...READ_RIGHTS.audit)
  async auditPage(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const fields = textFields(rawQuery);
    const filters = await this.filters(request, reply, actor.user, fields);
    if (!filters) return;
    const page = await this.auditLog.entries(actor.user, filters);
    await this.render(request, reply, actor.user, fields, page);
  }

  /** The events of the filters as a CSV file, read and sent in batches, newest first. */
  @Get('audit.csv')
  @Roles(...READ_RIGHTS.audit)
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() rawQuery: Record<string, unknown>,
  ): Promise<void> {
    const fields = textFields(rawQuery);
    const filters = await this.filters(request, reply, actor.user, fields);
    if (!filters) return;
    const lang = this.pages.language(request, actor.user);
    const t = translator(lang);
    const batches = this.auditLog.exportRows(actor.user, filters, lang);
    // The first batch is read before the answer starts: a database that fails answers an error
    // page, not a file cut short.
    const first = await batches.next();
    const noActor = t('audit.noActor');
    async function* lines(): AsyncGenerator<string> {
      // A byte order mark, so that spreadsheets read the names in every script as UTF-8.
      yield `\uFEFF${[
        'audit.csv.time',
        'audit.csv.person',
        'audit.csv.email',
        'audit.csv.action',
        'audit.csv.objectType',
        'audit.csv.objectId',
        'audit.csv.country',
      ]
        .map((key) => csvCell(t(key)))
        .join(',')}\r\n`;
      if (first.done) return;
      yield first.value.map((row) => `${csvLine(row)}\r\n`).join('');
      for await (const batch of batches) {
        yield batch.map((row) => `${csvLine(row)}\r\n`).join('');
      }
    }
    const csvLine = (row: AuditExportRow) =>
      [
        new Date(row.occurredAt).toISOString(),
        row.actorName ?? noActor,
        row.actorEmail,
        actionText(t, row.action),
        objectTypeText(t, row.entityType),
        row.entityId,
        row.countryName,
      ]
        .map(csvCell)
        .join(',');
    const day = new Date().toISOString().slice(0, 10);
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines()));
  }

  /**
   * The filters as the API's validated query; or, when the API would refuse them, the page shown
   * with the filters form saying why (status 400), and nothing to go on with.
   */
  private async filters(
    request: FastifyRequest,
    reply: FastifyReply,
    user: Principal,
    fields: Fields,
  ): Promise<AuditQuery | null> {
    try {
      return await validation.transform(apiQuery(fields, this.pages.timeZone(request, user)), {
        type: 'query',
        metatype: AuditQuery,
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      const lang = this.pages.language(request, user);
      // The page's from and to are days (a date field), though the API also takes a time.
      const errors = (error.errors ?? []).map((fieldError) =>
        (fieldError.field === 'from' || fieldError.field === 'to') &&
        fieldError.code === ValidationFieldErrors.is_timestamp.code
          ? withField(fieldError.field, ValidationFieldErrors.is_calendar_date)
          : fieldError,
      );
      const refused = new RefusedForm(
        FORM_ID,
        formatError(error.entry.messageKey, error.params, lang),
        errors,
        fields,
        lang,
      );
      // The errors of what the form has no field for (the page, a parameter it does not know).
      const shown = new Set<string>(FILTERS);
      if (this.policy.readScope(user).kind === 'country') shown.delete('countryCode');
      if (!fields.entityId) shown.delete('entityId');
      const otherErrors = errors
        .filter((fieldError) => !shown.has(fieldError.field))
        .map((fieldError) => formatError(fieldError.messageKey, fieldError.params, lang));
      await this.render(request, reply, user, fields, null, { refused, otherErrors }, error.status);
      return null;
    }
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    user: Principal,
    fields: Fields,
    page: Page<AuditEntryView> | null,
    refusal?: { refused: RefusedForm; otherErrors: string[] },
    status = 200,
  ): Promise<void> {
    const lang = this.pages.language(request, user);
    const t = translator(lang);
    const [countries, actors] = await Promise.all([
      this.auditLog.countries(user, lang),
      this.auditLog.actors(user, lang),
    ]);
    const countryNames = new Map(countries.map((country) => [country.code, country.name]));
    const scope = this.policy.readScope(user);
    const field = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
    const choice = <T extends { value: string }>(choices: T[], name: string) => {
      // A value the choices lack (a person out of scope, a country without events) stays chosen.
      const value = field(name);
      return value && !choices.some((item) => item.value === value)
        ? [...choices, { value, label: value }]
        : choices;
    };
    await this.pages.render(
      request,
      reply,
      'audit',
      {
        title: 'auditTrail',
        ...(refusal ? { refused: refusal.refused } : {}),
        otherErrors: refusal?.otherErrors ?? [],
        formId: FORM_ID,
        shown: Object.fromEntries(FILTERS.map((name) => [name, field(name)])),
        // A national team's trail is its own country's: there is no country to choose.
        countryChoices:
          scope.kind === 'country'
            ? null
            : choice(
                countries.map((country) => ({ value: country.code, label: country.name })),
                'countryCode',
              ),
        objectChoices: choice(
          AUDIT_ENTITY_TYPES.map((type) => ({ value: type, label: objectTypeText(t, type) })),
          'entityType',
        ),
        actorChoices: choice(
          actors.map((actor) => ({
            value: actor.id,
            label: `${actor.displayName} (${actor.email})`,
          })),
          'actorId',
        ),
        showsObjectId: field('entityId') !== '',
        clearObjectHref: `/app/audit${queryString({ ...fields, entityType: '', entityId: '' })}`,
        exportHref: `/app/audit.csv${queryString(fields)}`,
        log: page && {
          total: page.total,
          page: page.page,
          pages: Math.max(1, Math.ceil(page.total / page.pageSize)),
          previousHref: `/app/audit${queryString(fields, page.page - 1)}`,
          nextHref: `/app/audit${queryString(fields, page.page + 1)}`,
          items: page.items.map((item) => this.entry(t, user, item, countryNames, fields)),
        },
      },
      user,
      status,
    );
  }

  /** One event in words: who, what, to which object (linked to its page), where. */
  private entry(
    t: Translate,
    user: Principal,
    item: AuditEntryView,
    countryNames: Map<string, string>,
    fields: Fields,
  ) {
    return {
      id: item.id,
      occurredAt: item.occurredAt,
      actorName: item.actorName,
      action: actionText(t, item.action),
      objectType: objectTypeText(t, item.entityType),
      object: this.object(user, item),
      objectHistoryHref: item.entityId
        ? `/app/audit${queryString({ entityType: item.entityType, entityId: item.entityId })}`
        : null,
      // Already filtered by this object: no link to the same list.
      showsHistoryLink: item.entityId !== null && fields.entityId !== item.entityId,
      country: item.countryCode
        ? {
            code: item.countryCode,
            name: countryNames.get(item.countryCode) ?? item.countryCode,
            href: `/app/countries/${item.countryCode}`,
          }
        : null,
    };
  }

  /** The object's name, when it has one, and the page that shows it, when there is one. */
  private object(
    user: Principal,
    item: AuditEntryView,
  ): { name: string | null; href: string | null } {
    const name = item.objectName ?? item.programmeTitle;
    const workspace =
      item.programmeId && item.programmeCountryCode
        ? `/app/countries/${item.programmeCountryCode}?programme=${item.programmeId}`
        : null;
    switch (item.entityType) {
      case 'assessment':
        return { name, href: item.programmeId ? `/app/assessments/${item.entityId}` : null };
      case 'user':
        return {
          name,
          href:
            item.objectName && this.policy.mayDo(user, 'manageUsers')
              ? `/app/users/${item.entityId}`
              : null,
        };
      case 'stakeholder':
        return {
          name,
          href: item.countryCode ? `/app/countries/${item.countryCode}` : null,
        };
      case 'report':
      case 'report_schedule':
        return { name, href: this.policy.mayRead(user, 'reports') ? '/app/reports' : null };
      case 'notification':
        return {
          name,
          href: this.policy.mayRead(user, 'notifications') ? '/app/notifications' : null,
        };
      default:
        return { name, href: workspace };
    }
  }
}
