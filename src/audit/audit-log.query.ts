import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/roles.js';
import { type ListSql, type Page, paginate } from '../common/pagination.js';
import type {
  AuditEntryView,
  AuditEventResponse,
  AuditExportRow,
  AuditFilters,
  AuditQuery,
} from './dto/audit.dto.js';

/** The events of the trail with their country, which the scopes are written against. */
const EVENTS = `FROM audit_events a LEFT JOIN countries c ON c.code = a.country_code`;

const EVENT_COLUMNS = `a.id::text AS id, a.occurred_at AS "occurredAt",
       a.actor_id AS "actorId", a.action, a.entity_type AS "entityType", a.entity_id AS "entityId",
       a.country_code AS "countryCode", a.before, a.after, a.request_id AS "requestId"`;

/** The actor of each event of a page, by name; events of no one (the system) have none. */
const ACTOR_JOIN = `LEFT JOIN users u ON u.id = page."actorId"`;

/**
 * What names each event's object on a page: the programme it belongs to (the programme itself,
 * or the one of its assessment, milestone, status update, phase change or document) and its own
 * name when it has one (a milestone's title, a user's name, a document's title, kept by its events
 * once the document is deleted). An id that is not a uuid names none of these.
 */
const OBJECT_JOIN = `${ACTOR_JOIN}
     LEFT JOIN LATERAL (
       SELECT CASE WHEN page."entityId" ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                   THEN page."entityId"::uuid END AS id
     ) e ON true
     LEFT JOIN assessments s ON page."entityType" = 'assessment' AND s.id = e.id
     LEFT JOIN milestones m ON page."entityType" = 'milestone' AND m.id = e.id
     LEFT JOIN status_updates su ON page."entityType" = 'status_update' AND su.id = e.id
     LEFT JOIN phase_transitions pt ON page."entityType" = 'phase_transition' AND pt.id = e.id
     LEFT JOIN documents d ON page."entityType" = 'document' AND d.id = e.id
     LEFT JOIN programmes p ON p.id = CASE WHEN page."entityType" = 'programme' THEN e.id
       ELSE coalesce(s.programme_id, m.programme_id, su.programme_id, pt.programme_id, d.programme_id) END
     LEFT JOIN users eu ON page."entityType" = 'user' AND eu.id = e.id`;

/** Rows of an export read per statement: the file streams, whatever the size of the trail. */
const EXPORT_BATCH = 1_000;

/**
 * Reads the audit trail, newest first. Administrators and ITU project managers see all of it;
 * coordinators and national teams see the events of the countries in their scope. The API's list,
 * the audit page and its CSV export are the same filtered rows.
 */
@Injectable()
export class AuditLogQuery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AccessPolicy,
  ) {}

  /** The API's page of events, each with its actor's name. */
  list(user: Principal, query: AuditQuery): Promise<Page<AuditEventResponse>> {
    return this.page<AuditEventResponse>(user, query, {
      select: `page.*, u.display_name AS "actorName"`,
      join: ACTOR_JOIN,
    });
  }

  /** The audit page's events: the API's, with what names their actor and object. */
  entries(user: Principal, query: AuditQuery): Promise<Page<AuditEntryView>> {
    return this.page<AuditEntryView>(user, query, {
      select: `page.*, u.display_name AS "actorName", u.email AS "actorEmail",
               p.id AS "programmeId", p.title AS "programmeTitle",
               p.country_code AS "programmeCountryCode",
               coalesce(m.title, eu.display_name, d.title,
                 coalesce(page.after, page.before)->>'title') AS "objectName"`,
      join: OBJECT_JOIN,
    });
  }

  /**
   * Every event of the filters, newest first, in batches read one statement at a time (keyset on
   * the id, which only grows: a batch never repeats or skips an event written meanwhile), so that
   * an export of the whole trail never holds more than one batch.
   */
  async *exportRows(
    user: Principal,
    filters: AuditFilters,
    lang: string,
  ): AsyncGenerator<AuditExportRow[]> {
    const { where, params } = this.filtered(user, filters);
    const language = params.push(lang);
    const after = params.push(null);
    const limit = params.push(EXPORT_BATCH);
    for (;;) {
      const rows: AuditExportRow[] = await this.dataSource.query(
        `SELECT a.id::text AS id, a.occurred_at AS "occurredAt", a.action,
                a.entity_type AS "entityType", a.entity_id AS "entityId",
                a.country_code AS "countryCode",
                coalesce(c.names ->> $${language}, c.names ->> 'en') AS "countryName",
                u.display_name AS "actorName", u.email AS "actorEmail"
         ${EVENTS} LEFT JOIN users u ON u.id = a.actor_id
         WHERE ${where} AND ($${after}::bigint IS NULL OR a.id < $${after}::bigint)
         ORDER BY a.id DESC LIMIT $${limit}`,
        params,
      );
      if (rows.length > 0) yield rows;
      if (rows.length < EXPORT_BATCH) return;
      params[after - 1] = rows[rows.length - 1].id;
    }
  }

  /**
   * The countries of the user's scope that the trail has events of (the country filter's
   * choices), named in `lang`. The codes come from the index on country_code one by one, so this
   * stays cheap however long the trail.
   */
  async countries(user: Principal, lang: string): Promise<{ code: string; name: string }[]> {
    this.policy.assertMayRead(user, 'audit');
    const params: unknown[] = [lang];
    const scope = this.policy.scopeSql(
      this.policy.readScope(user),
      { country: 'c.code', region: 'c.region_code' },
      params,
    );
    const rows: { code: string; name: string }[] = await this.dataSource.query(
      `WITH RECURSIVE codes (code) AS (
         (SELECT country_code FROM audit_events WHERE country_code IS NOT NULL
          ORDER BY country_code LIMIT 1)
         UNION ALL
         SELECT (SELECT a.country_code FROM audit_events a WHERE a.country_code > codes.code
                 ORDER BY a.country_code LIMIT 1)
         FROM codes WHERE codes.code IS NOT NULL
       )
       SELECT c.code, coalesce(c.names ->> $1, c.names ->> 'en') AS name
       FROM countries c WHERE c.code IN (SELECT code FROM codes) AND ${scope}`,
      params,
    );
    const collator = new Intl.Collator(lang);
    return rows.sort((a, b) => collator.compare(a.name, b.name));
  }

  /** The people who did something in the user's scope (the person filter's choices), by name. */
  async actors(
    user: Principal,
    lang: string,
  ): Promise<{ id: string; displayName: string; email: string }[]> {
    this.policy.assertMayRead(user, 'audit');
    const params: unknown[] = [];
    const scope = this.policy.scopeSql(
      this.policy.readScope(user),
      { country: 'a.country_code', region: 'c.region_code' },
      params,
    );
    const rows: { id: string; displayName: string; email: string }[] = await this.dataSource.query(
      `SELECT u.id, u.display_name AS "displayName", u.email FROM users u
         WHERE EXISTS (SELECT 1 ${EVENTS} WHERE a.actor_id = u.id AND ${scope})`,
      params,
    );
    const collator = new Intl.Collator(lang);
    return rows.sort(
      (a, b) => collator.compare(a.displayName, b.displayName) || a.email.localeCompare(b.email),
    );
  }

  private page<T>(
    user: Principal,
    query: AuditQuery,
    columns: Pick<ListSql, 'select' | 'join'>,
  ): Promise<Page<T>> {
    const { where, params } = this.filtered(user, query);
    return paginate<T>(
      this.dataSource,
      query,
      {
        rows: `SELECT ${EVENT_COLUMNS} ${EVENTS} WHERE ${where}`,
        orderBy: 'a.id DESC',
        ...columns,
      },
      params,
    );
  }

  /** The WHERE of the events in the user's scope that pass the filters, over `EVENTS`. */
  private filtered(user: Principal, query: AuditFilters): { where: string; params: unknown[] } {
    this.policy.assertMayRead(user, 'audit');
    const scope = this.policy.readScope(user);
    const params: unknown[] = [];
    const where = [
      scope.kind === 'all'
        ? 'TRUE'
        : this.policy.scopeSql(
            scope,
            { country: 'a.country_code', region: 'c.region_code' },
            params,
          ),
    ];
    const filter = (sql: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    filter('a.entity_type = ?', query.entityType);
    filter('a.entity_id = ?', query.entityId);
    filter('a.country_code = ?', query.countryCode);
    filter('a.actor_id = ?', query.actorId);
    filter('a.occurred_at >= ?::timestamptz', query.from);
    filter('a.occurred_at < ?::timestamptz', query.to);
    return { where: where.join(' AND '), params };
  }
}
