import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_RULE, type AccessRule } from '../../src/auth/access.decorators.js';
import { LOCALES } from '../../src/messages/locales.js';
import { READINESS_KEYS, createAssessment } from '../factories/assessments.js';
import {
  createPendingTransition,
  createProgramme,
  createStakeholder,
  firstMilestone,
} from '../factories/programmes.js';
import { uploadDocument } from '../factories/documents.js';
import { createInvitedUser } from '../factories/invitations.js';
import { type Staff, type TestUser, createStaff, createUser } from '../factories/users.js';
import { type TestApp, bearer, startTestApp } from '../support/test-app.js';
import {
  type FieldSpec,
  type OpenApiDocument,
  RAW_BODIES,
  SQL_INJECTIONS,
  BAD_UPLOADS,
  WRONG_CONTENT_TYPES,
  encodeQueryValue,
  fieldsOf,
  malformedBody,
  malformedQueryValue,
  plausibleBody,
} from './bad-input-generators.js';
import { report } from './drill-kit.js';

/**
 * Generated bad input against every write route and every query parameter: no 5xx, every refusal
 * problem+json (an HTML page on the pages), and no change to any table or the audit trail. Then
 * SQL injection in every query parameter, and a 10 MB body to a real socket.
 */

/** Replay a failure with BAD_INPUT_SEED=<the seed printed>. */
const SEED = Number(process.env.BAD_INPUT_SEED ?? 20_261_123);
const BODIES_PER_ROUTE = 300;
const VALUES_PER_PARAMETER = 300;
/** Requests in flight at once: enough to overlap the database's round trips on two cores. */
const CONCURRENCY = 4;
const TEN_MB = 10 * 1024 * 1024;
const FAILURES_FILE = 'test-artifacts/reliability/bad-input-failures.txt';
const GARBAGE_PATH_VALUES = [
  'not-a-uuid',
  '1',
  '-1',
  "1'%20OR%20'1'='1",
  '%00',
  '00000000-0000-0000-0000-00000000000g',
  '6c1d1c1e-0a7e-4f3a-9d8e-5b0c8f6a1e2b-x',
  'x'.repeat(300),
  '%F0%9F%92%A9',
  '%E0%A4%A',
  '..%2F..%2Fetc%2Fpasswd',
  '%20',
  'null',
  'ZZZ',
];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  method: Method;
  path: string;
  /** A page of the site: it answers its refusals with an HTML page, unless Fastify answers first. */
  page: boolean;
  /** The body's fields; empty for a write that reads no body. */
  fields: FieldSpec[];
  query: { name: string; values?: string[] }[];
  roles: readonly string[];
}

interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

class Tally {
  inputs = 0;
  readonly statuses = new Map<number, number>();
  readonly failures: string[] = [];

  record(route: Route, label: string, answer: Answer, allowed: (status: number) => boolean) {
    this.inputs += 1;
    this.statuses.set(answer.statusCode, (this.statuses.get(answer.statusCode) ?? 0) + 1);
    const problems: string[] = [];
    if (answer.statusCode >= 500) problems.push('5xx');
    else if (!allowed(answer.statusCode)) problems.push('accepted');
    const type = String(answer.headers['content-type'] ?? '');
    const expected = route.page
      ? /^(application\/problem\+json|text\/html)/
      : /^application\/problem\+json/;
    if (answer.statusCode >= 400 && !expected.test(type)) problems.push(`content-type "${type}"`);
    if (problems.length > 0) {
      this.failures.push(
        `${route.method} ${route.path} [${label}]: ${answer.statusCode} ${problems.join(', ')}: ${answer.body.slice(0, 200)}`,
      );
    }
  }

  summary(): string {
    return [...this.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`)
      .join(' ');
  }
}

/** A seed of its own for each route and parameter, so that one's inputs do not hang on the others. */
function seedFor(label: string): number {
  let hash = SEED;
  for (const char of label) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

function shown(input: unknown): string {
  const text = typeof input === 'string' ? input : (JSON.stringify(input) ?? String(input));
  return text.length > 120 ? `${text.slice(0, 120)}… (${text.length} chars)` : text;
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

interface LargeBodyAnswer {
  status?: number;
  contentType?: string;
  code?: string;
  connection?: string;
  /** Bytes of the body handed to the socket when the answer came (or the server cut it off). */
  sent: number;
  /** Bytes the server had read off its socket by then, headers included. */
  read: number;
  error?: string;
}

/**
 * Streams a 10 MB body in 64 KB chunks, with its length declared or chunked, and stops writing as
 * soon as the server answers or cuts the connection.
 */
function sendTenMegabytes(
  port: number,
  token: string,
  chunked: boolean,
  readByServer: () => number,
): Promise<LargeBodyAnswer> {
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    chunk.write('{"name": "');
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/auth/tokens',
      headers: {
        ...bearer(token),
        'content-type': 'application/json',
        ...(chunked ? {} : { 'content-length': String(TEN_MB) }),
      },
    });
    request.on('response', (response) => {
      const answeredAt = { sent, read: readByServer() };
      done = true;
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        request.destroy();
        resolve({
          status: response.statusCode,
          contentType: response.headers['content-type'],
          code: /"code":"(\w+)"/.exec(Buffer.concat(parts).toString())?.[1],
          connection: response.headers.connection,
          ...answeredAt,
        });
      });
    });
    request.on('error', (error) => {
      if (done) return;
      done = true;
      resolve({ sent, read: readByServer(), error: error.message });
    });
    const pump = () => {
      while (!done && sent < TEN_MB) {
        const piece = chunk.subarray(0, Math.min(chunk.length, TEN_MB - sent));
        sent += piece.length;
        if (!request.write(piece)) return void request.once('drain', pump);
      }
      if (!done) request.end();
    };
    pump();
  });
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

describe('bad input', () => {
  let t: TestApp;
  let staff: Staff;
  const registered = new Set<string>();
  const started = Date.now();
  let largeBody = '';
  const largeBodyFailures: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      onRoute: ({ method, url }) => {
        for (const verb of [method].flat()) {
          if (verb !== 'HEAD' && !url.startsWith('/api/docs')) registered.add(`${verb} ${url}`);
        }
      },
    });
    staff = await createStaff(t.dataSource);
    console.log(`bad input: seed ${SEED} (replay with BAD_INPUT_SEED=${SEED})`);
  });
  afterAll(() => t?.close());

  /** The rows and contents of every table, and the audit trail's count and last event. */
  /** One session per caller for the whole drill, so that signing in changes no table in between. */
  const sessions = new Map<string, Promise<string>>();
  function tokenOf(user: { id: string }): Promise<string> {
    if (!sessions.has(user.id)) sessions.set(user.id, t.tokenFor(user));
    return sessions.get(user.id)!;
  }

  async function snapshot(): Promise<Record<string, string>> {
    const tables: { tablename: string }[] = await t.dataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    const result: Record<string, string> = {};
    for (const { tablename } of tables) {
      const [row] = await t.dataSource.query(
        `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS digest
         FROM "${tablename}" t`,
      );
      result[tablename] = `${row.rows} rows, contents ${row.digest}`;
    }
    const [audit] = await t.dataSource.query(
      `SELECT count(*)::int AS count, max(id)::text AS last FROM audit_events`,
    );
    result['audit trail'] = `${audit.count} events, last ${audit.last}`;
    return result;
  }

  function changes(before: Record<string, string>, after: Record<string, string>): string[] {
    return Object.keys({ ...before, ...after })
      .filter((key) => before[key] !== after[key])
      .map((key) => `${key}: ${before[key]} -> ${after[key]}`);
  }

  /** Who may call each route, from the controllers' access decorators. */
  function accessRules(): Map<string, AccessRule> {
    const rules = new Map<string, AccessRule>();
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const controller of module.controllers.values()) {
        const type = controller.metatype as { prototype: Record<string, unknown> };
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          const handler = type.prototype[name] as object;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (method === undefined) continue;
          const path = [
            Reflect.getMetadata(PATH_METADATA, type),
            Reflect.getMetadata(PATH_METADATA, handler),
          ]
            .filter((part) => part && part !== '/')
            .join('/');
          const rule =
            Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, type);
          rules.set(`${RequestMethod[method]} /${path}`, rule);
          rules.set(`${RequestMethod[method]} /api/v1/${path}`.replace(/\/$/, ''), rule);
        }
      }
    }
    return rules;
  }

  /**
   * Every registered route with its body fields and query parameters: from the OpenAPI document
   * for the API, from the list below for the pages, which the document leaves out. A route in
   * neither fails the drill, so that a new one cannot escape it.
   */
  async function routes(): Promise<Route[]> {
    const document = (
      await t.app.inject({ method: 'GET', url: '/api/docs-json' })
    ).json() as OpenApiDocument;
    const rules = accessRules();
    const queryOf = (path: string, method = 'get') =>
      (document.paths[path]?.[method]?.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => ({ name: parameter.name, values: parameter.schema?.enum }));
    const lang = { name: 'lang', values: [...LOCALES] };
    /**
     * A page's form posts the fields of the API operation it stands for, as text: a number is
     * posted as its digits, a boolean as `true` or `false`, so a wrong one is anything but text.
     */
    const formOf = (path: string, method: string): Pick<Route, 'fields' | 'query'> => {
      const schema =
        document.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
      const fields = schema ? fieldsOf(document, schema) : [];
      return {
        fields: fields.map((field) =>
          field.kind === 'number' || field.kind === 'boolean'
            ? { ...field, kind: 'string' as const }
            : field,
        ),
        query: [],
      };
    };
    const pages: Record<string, Pick<Route, 'fields' | 'query'>> = {
      'GET /': { fields: [], query: [] },
      'GET /login': { fields: [], query: [{ name: 'next' }, lang] },
      // The sign-in form reads these two and ignores the rest (the CSRF token, the button).
      'POST /login': {
        fields: ['email', 'password'].map((name) => ({ name, kind: 'string', required: true })),
        query: [],
      },
      'POST /logout': { fields: [], query: [] },
      'GET /invitation/:token': { fields: [], query: [lang] },
      // The token is in the address; the form posts the password alone.
      'POST /invitation/:token': {
        fields: formOf('/api/v1/auth/invitations/accept', 'post').fields.filter(
          (field) => field.name !== 'token',
        ),
        query: [],
      },
      'GET /app/portfolio': { fields: [], query: [...queryOf('/api/v1/programmes'), lang] },
      'GET /app/queue': { fields: [], query: [lang] },
      'GET /app/countries/:code': { fields: [], query: [{ name: 'programme' }, lang] },
      'GET /app/assessments/:id': { fields: [], query: [lang] },
      'GET /app/reports': { fields: [], query: [lang] },
      'GET /app/campaigns': {
        fields: [],
        query: [...queryOf('/api/v1/assessment-campaigns'), lang],
      },
      'GET /app/campaigns/:id': { fields: [], query: [lang] },
      'GET /app/notifications': { fields: [], query: [...queryOf('/api/v1/notifications'), lang] },
      'GET /app/audit': { fields: [], query: [...queryOf('/api/v1/audit'), lang] },
      'GET /app/audit.csv': { fields: [], query: [...queryOf('/api/v1/audit'), lang] },
      'POST /app/countries/:code/programmes/:id/transitions': formOf(
        '/api/v1/programmes/{id}/transitions',
        'post',
      ),
      // A file form: its bad bodies are the multipart ones (BAD_UPLOADS), the JSON ones all 415.
      'POST /app/countries/:code/programmes/:id/documents/:kind': { fields: [], query: [] },
      'POST /app/countries/:code/programmes/:id/documents/:documentId/delete': formOf(
        '/api/v1/documents/{id}',
        'delete',
      ),
      'POST /app/countries/:code/programmes/:id/status-updates': formOf(
        '/api/v1/programmes/{id}/status-updates',
        'post',
      ),
      'POST /app/countries/:code/programmes/:id/milestones': formOf(
        '/api/v1/programmes/{id}/milestones',
        'post',
      ),
      'POST /app/countries/:code/programmes/:id/milestones/:milestoneId': formOf(
        '/api/v1/milestones/{id}',
        'patch',
      ),
      'POST /app/countries/:code/programmes/:id/milestones/:milestoneId/status': formOf(
        '/api/v1/milestones/{id}',
        'patch',
      ),
      // The stakeholder forms go back to the programme shown, named in the query.
      'POST /app/countries/:code/stakeholders': {
        ...formOf('/api/v1/countries/{code}/stakeholders', 'post'),
        query: [{ name: 'programme' }],
      },
      'POST /app/countries/:code/stakeholders/:stakeholderId': {
        ...formOf('/api/v1/stakeholders/{id}', 'patch'),
        query: [{ name: 'programme' }],
      },
      'POST /app/countries/:code/stakeholders/:stakeholderId/remove': {
        ...formOf('/api/v1/stakeholders/{id}', 'delete'),
        query: [{ name: 'programme' }],
      },
      'GET /app/programmes/new': { fields: [], query: [{ name: 'country' }, lang] },
      'POST /app/programmes/new': formOf('/api/v1/programmes', 'post'),
      // Each of the programme's forms posts the API's PATCH fields it needs (its action's status).
      'POST /app/countries/:code/programmes/:id/edit': formOf('/api/v1/programmes/{id}', 'patch'),
      'POST /app/countries/:code/programmes/:id/hold': formOf('/api/v1/programmes/{id}', 'patch'),
      'POST /app/countries/:code/programmes/:id/resume': formOf('/api/v1/programmes/{id}', 'patch'),
      'POST /app/countries/:code/programmes/:id/cancel': formOf('/api/v1/programmes/{id}', 'patch'),
      'POST /app/countries/:code/programmes/:id/assessments': formOf(
        '/api/v1/programmes/{id}/assessments',
        'post',
      ),
      'POST /app/assessments/:id/responses/:indicatorKey': formOf(
        '/api/v1/assessments/{id}/responses/{indicatorKey}',
        'put',
      ),
      'POST /app/assessments/:id/submit': formOf('/api/v1/assessments/{id}/submit', 'post'),
      'POST /app/assessments/:id/validate': formOf('/api/v1/assessments/{id}/validate', 'post'),
      'POST /app/assessments/:id/return': formOf('/api/v1/assessments/{id}/return', 'post'),
      'POST /app/queue/transitions/:id/approve': formOf('/api/v1/transitions/{id}/approve', 'post'),
      'POST /app/queue/transitions/:id/reject': formOf('/api/v1/transitions/{id}/reject', 'post'),
      'POST /app/reports': formOf('/api/v1/reports', 'post'),
      'POST /app/campaigns': formOf('/api/v1/assessment-campaigns', 'post'),
      'POST /app/campaigns/preview': formOf('/api/v1/assessment-campaigns', 'post'),
      'POST /app/campaigns/:id/close': formOf('/api/v1/assessment-campaigns/{id}/close', 'post'),
      'GET /app/report-schedules': {
        fields: [],
        query: [...queryOf('/api/v1/report-schedules'), lang],
      },
      // The schedule form posts words, which the page turns into the API's cron.
      'POST /app/report-schedules': {
        fields: [
          ...formOf('/api/v1/report-schedules', 'post').fields.filter(
            (field) => field.name !== 'cron',
          ),
          {
            name: 'frequency',
            kind: 'enum',
            required: true,
            values: ['weekly', 'daily', 'monthly'],
          },
          {
            name: 'weekday',
            kind: 'enum',
            required: false,
            values: ['1', '2', '3', '4', '5', '6', '0'],
          },
          {
            name: 'dayOfMonth',
            kind: 'enum',
            required: false,
            values: Array.from({ length: 28 }, (_, i) => String(i + 1)),
          },
          {
            name: 'hour',
            kind: 'enum',
            required: true,
            values: Array.from({ length: 24 }, (_, i) => String(i)),
          },
        ],
        query: [],
      },
      'POST /app/report-schedules/:id/pause': formOf('/api/v1/report-schedules/{id}/pause', 'post'),
      'POST /app/report-schedules/:id/resume': formOf(
        '/api/v1/report-schedules/{id}/resume',
        'post',
      ),
      'POST /app/report-schedules/:id/delete': formOf('/api/v1/report-schedules/{id}', 'delete'),
      'POST /app/notifications/:id/retry': formOf('/api/v1/notifications/{id}/retry', 'post'),
      // The tools post back to the log as it was filtered: the log's filters ride in the query.
      'POST /app/notifications/reminder-scan': {
        ...formOf('/api/v1/reminders/scan', 'post'),
        query: queryOf('/api/v1/notifications'),
      },
      'POST /app/notifications/test': {
        ...formOf('/api/v1/notifications/test', 'post'),
        query: queryOf('/api/v1/notifications'),
      },
      'GET /app/users': { fields: [], query: [...queryOf('/api/v1/users'), lang] },
      'GET /app/users/new': { fields: [], query: [lang] },
      'POST /app/users/new': formOf('/api/v1/users', 'post'),
      'GET /app/users/:id': { fields: [], query: [lang] },
      'POST /app/users/:id': formOf('/api/v1/users/{id}', 'patch'),
      'POST /app/users/:id/password': formOf('/api/v1/users/{id}', 'patch'),
      'POST /app/users/:id/invitation': formOf('/api/v1/users/{id}/invitation', 'post'),
      'POST /app/users/:id/state': formOf('/api/v1/users/{id}', 'patch'),
      'POST /app/users/:id/tokens/:tokenId/revoke': formOf(
        '/api/v1/users/{id}/tokens/{tokenId}',
        'delete',
      ),
      'GET /app/account': { fields: [], query: [lang] },
      'POST /app/account/password': formOf('/api/v1/auth/me/password', 'put'),
      'POST /app/account/settings': formOf('/api/v1/auth/me', 'patch'),
      // The form posts one radio per event kind, `events.<kind>`, which the page nests.
      'POST /app/account/notifications': {
        fields: formOf('/api/v1/auth/me/notification-preferences', 'put').fields.flatMap((field) =>
          field.kind === 'object'
            ? field.fields!.map((inner) => ({ ...inner, name: `${field.name}.${inner.name}` }))
            : [field],
        ),
        query: [],
      },
      'POST /app/account/tokens': formOf('/api/v1/auth/tokens', 'post'),
      'POST /app/account/tokens/:tokenId/revoke': formOf('/api/v1/auth/tokens/{id}', 'delete'),
    };
    const result: Route[] = [];
    for (const key of [...registered].sort()) {
      const [method, path] = key.split(' ') as [Method, string];
      const rule = rules.get(key);
      const roles = rule?.public ? ['anyone'] : (rule?.roles ?? []);
      const documented = path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[documented]?.[method.toLowerCase()];
      if (pages[key]) {
        result.push({ method, path, page: true, roles, ...pages[key] });
      } else if (operation) {
        const schema = operation.requestBody?.content['application/json']?.schema;
        result.push({
          method,
          path,
          page: false,
          roles,
          fields: schema ? fieldsOf(document, schema) : [],
          query: queryOf(documented, method.toLowerCase()),
        });
      } else if (!/^GET \/(health|assets)\//.test(key)) {
        throw new Error(`${key} is neither in the OpenAPI document nor among the drill's pages`);
      }
    }
    return result;
  }

  it('should refuse a 10 MB body with 413 problem+json before reading it whole', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const server = t.app.getHttpServer();
    const { port } = server.address() as AddressInfo;
    let socket: Socket | undefined;
    server.on('connection', (connection: Socket) => (socket = connection));
    const readByServer = () => socket?.bytesRead ?? 0;
    const token = await t.tokenFor(staff.admin);
    const declared = await sendTenMegabytes(port, token, false, readByServer);
    const chunked = await sendTenMegabytes(port, token, true, readByServer);
    for (const [name, answer] of [
      ['declared length', declared],
      ['chunked', chunked],
    ] as const) {
      if (
        answer.status !== 413 ||
        !answer.contentType?.startsWith('application/problem+json') ||
        answer.code !== 'payload_too_large' ||
        // Refused before the end: answered while the client still had most of it to send, the
        // server having read the 1 MB of the limit and what the socket held, not the rest.
        answer.sent >= TEN_MB ||
        answer.read > TEN_MB / 2
      ) {
        largeBodyFailures.push(`10 MB body, ${name}: ${JSON.stringify(answer)}`);
      }
    }
    const figures = (answer: LargeBodyAnswer) =>
      `${answer.status} after reading ${megabytes(answer.read)} (${megabytes(answer.sent)} sent, connection ${answer.connection ?? 'kept'})`;
    largeBody = `10 MB body: ${figures(declared)} with its length declared, ${figures(chunked)} chunked`;
    console.log(`bad input: ${largeBody}`);
    expect(largeBodyFailures).toEqual([]);
  });

  it('should refuse generated bad input everywhere, without a 5xx, with problem+json, changing nothing', async () => {
    const kenya = await createProgramme(t, staff.admin, {
      countryCode: 'KE',
      cirtType: 'national',
    });
    const milestone = await firstMilestone(t, staff.admin, kenya.id);
    const stakeholder = await createStakeholder(t, staff.admin, 'KE');
    const draft = await createAssessment(t, staff.admin, kenya.id);
    const programmeWith = async (stage: 'answered' | 'submitted') =>
      createAssessment(
        t,
        staff.admin,
        (await createProgramme(t, staff.admin, { countryCode: 'KE' })).id,
        stage,
      );
    const answered = await programmeWith('answered');
    const submitted = await programmeWith('submitted');
    const transition = await createPendingTransition(t, staff.admin, staff.national_team, 'KE');
    const document = await uploadDocument(t, staff.admin, kenya.id, 'other', { title: 'Minutes' });
    const observer = await createUser(t.dataSource, { role: 'observer' });
    const invited = await createInvitedUser(t, staff.admin);
    const [notification] = await t.dataSource.query(
      `INSERT INTO notifications (kind, channel, dedupe_key, recipient, subject, body_text, not_before, status, country_code)
       VALUES ('test', 'email', 'bad-input', 'x@example.org', 's', 't', now(), 'dead', 'KE') RETURNING id`,
    );
    const [schedule] = await t.dataSource.query(
      `INSERT INTO report_schedules (created_by, cron, scope, scope_key, formats, recipients)
       VALUES ($1, '0 7 * * 1', '{"regionCode": "AFR"}', 'region:AFR', '{csv}', '{pm@example.org}') RETURNING id`,
      [staff.admin.id],
    );
    const [campaign] = await t.dataSource.query(
      `INSERT INTO assessment_campaigns (title, template_key, template_version, region_code, due_date, created_by)
       VALUES ('Drill campaign', 'cirt-maturity', '1.0.0', 'AFR', '2099-12-31', $1) RETURNING id`,
      [staff.admin.id],
    );
    const [reportRow] = await t.dataSource.query(
      `INSERT INTO reports (scope, scope_key, formats, status)
       VALUES ('{"regionCode": "AFR"}', 'region:AFR', '{json,csv,xlsx,pdf}', 'completed') RETURNING id`,
    );
    // A file in each format, so that a valid download answers 200 like the other reads.
    await t.dataSource.query(
      `INSERT INTO report_files (report_id, format, content, content_type, file_name)
       SELECT $1, format, 'x', 'text/plain', 'report.' || format
       FROM unnest('{json,csv,xlsx,pdf}'::text[]) AS format`,
      [reportRow.id],
    );
    const tokens = new Map<string, string>();
    for (const user of [staff.admin, staff.national_team]) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: bearer(await tokenOf(user)),
        payload: { name: 'drill' },
      });
      tokens.set(user.id, created.json().id);
    }

    /** The rows each path points at: real ones, in a state where a valid request would succeed. */
    const targets: Record<string, (caller: TestUser) => Record<string, string>> = {
      'DELETE /api/v1/auth/tokens/:id': (caller) => ({ id: tokens.get(caller.id)! }),
      'PATCH /api/v1/users/:id': () => ({ id: observer.id }),
      'PATCH /api/v1/programmes/:id': () => ({ id: kenya.id }),
      'POST /api/v1/programmes/:id/transitions': () => ({ id: kenya.id }),
      'POST /api/v1/programmes/:id/documents': () => ({ id: kenya.id }),
      'GET /api/v1/programmes/:id/documents': () => ({ id: kenya.id }),
      'GET /api/v1/documents/:id/download': () => ({ id: document.id }),
      'DELETE /api/v1/documents/:id': () => ({ id: document.id }),
      'POST /api/v1/transitions/:id/approve': () => ({ id: transition.id }),
      'POST /api/v1/transitions/:id/reject': () => ({ id: transition.id }),
      'POST /api/v1/programmes/:id/milestones': () => ({ id: kenya.id }),
      'GET /api/v1/programmes/:id/milestones': () => ({ id: kenya.id }),
      'PATCH /api/v1/milestones/:id': () => ({ id: milestone.id }),
      'POST /api/v1/programmes/:id/status-updates': () => ({ id: kenya.id }),
      'GET /api/v1/programmes/:id/status-updates': () => ({ id: kenya.id }),
      'POST /api/v1/countries/:code/stakeholders': () => ({ code: 'KE' }),
      'PATCH /api/v1/stakeholders/:id': () => ({ id: stakeholder.id }),
      'DELETE /api/v1/stakeholders/:id': () => ({ id: stakeholder.id }),
      'POST /api/v1/programmes/:id/assessments': () => ({ id: kenya.id }),
      'GET /api/v1/programmes/:id/assessments/trend': () => ({ id: kenya.id }),
      'PUT /api/v1/assessments/:id/responses/:indicatorKey': () => ({
        id: draft.id,
        indicatorKey: READINESS_KEYS[0],
      }),
      'POST /api/v1/assessments/:id/submit': () => ({ id: answered.id }),
      'POST /api/v1/assessments/:id/validate': () => ({ id: submitted.id }),
      'POST /api/v1/assessments/:id/return': () => ({ id: submitted.id }),
      'POST /api/v1/notifications/:id/retry': () => ({ id: notification.id }),
      'DELETE /api/v1/report-schedules/:id': () => ({ id: schedule.id }),
      'POST /api/v1/report-schedules/:id/pause': () => ({ id: schedule.id }),
      'POST /api/v1/report-schedules/:id/resume': () => ({ id: schedule.id }),
      'POST /app/report-schedules/:id/pause': () => ({ id: schedule.id }),
      'POST /app/report-schedules/:id/resume': () => ({ id: schedule.id }),
      'POST /app/report-schedules/:id/delete': () => ({ id: schedule.id }),
      'POST /api/v1/report-schedules/:id/reassign': () => ({ id: schedule.id }),
      'DELETE /api/v1/users/:id/tokens/:tokenId': () => ({
        id: staff.national_team.id,
        tokenId: tokens.get(staff.national_team.id)!,
      }),
      'GET /api/v1/reports/:id/download': () => ({ id: reportRow.id }),
      'GET /api/v1/assessment-campaigns/:id': () => ({ id: campaign.id }),
      'POST /api/v1/assessment-campaigns/:id/close': () => ({ id: campaign.id }),
      'GET /app/campaigns/:id': () => ({ id: campaign.id }),
      'POST /app/campaigns/:id/close': () => ({ id: campaign.id }),
      'GET /api/v1/countries/:code': () => ({ code: 'KE' }),
      'GET /app/countries/:code': () => ({ code: 'KE' }),
      'POST /app/countries/:code/programmes/:id/transitions': () => ({ code: 'KE', id: kenya.id }),
      'POST /app/countries/:code/programmes/:id/documents/:kind': () => ({
        code: 'KE',
        id: kenya.id,
        kind: 'other',
      }),
      'POST /app/countries/:code/programmes/:id/documents/:documentId/delete': () => ({
        code: 'KE',
        id: kenya.id,
        documentId: document.id,
      }),
      'POST /app/countries/:code/programmes/:id/status-updates': () => ({
        code: 'KE',
        id: kenya.id,
      }),
      'POST /app/countries/:code/programmes/:id/milestones': () => ({ code: 'KE', id: kenya.id }),
      'POST /app/countries/:code/programmes/:id/milestones/:milestoneId': () => ({
        code: 'KE',
        id: kenya.id,
        milestoneId: milestone.id,
      }),
      'POST /app/countries/:code/programmes/:id/milestones/:milestoneId/status': () => ({
        code: 'KE',
        id: kenya.id,
        milestoneId: milestone.id,
      }),
      'POST /app/countries/:code/stakeholders': () => ({ code: 'KE' }),
      'POST /app/countries/:code/stakeholders/:stakeholderId': () => ({
        code: 'KE',
        stakeholderId: stakeholder.id,
      }),
      'POST /app/countries/:code/stakeholders/:stakeholderId/remove': () => ({
        code: 'KE',
        stakeholderId: stakeholder.id,
      }),
      'POST /app/countries/:code/programmes/:id/edit': () => ({ code: 'KE', id: kenya.id }),
      'POST /app/countries/:code/programmes/:id/hold': () => ({ code: 'KE', id: kenya.id }),
      'POST /app/countries/:code/programmes/:id/resume': () => ({ code: 'KE', id: kenya.id }),
      'POST /app/countries/:code/programmes/:id/cancel': () => ({ code: 'KE', id: kenya.id }),
      'POST /app/countries/:code/programmes/:id/assessments': () => ({ code: 'KE', id: kenya.id }),
      'POST /app/assessments/:id/responses/:indicatorKey': () => ({
        id: draft.id,
        indicatorKey: READINESS_KEYS[0],
      }),
      'POST /app/assessments/:id/submit': () => ({ id: answered.id }),
      'POST /app/assessments/:id/validate': () => ({ id: submitted.id }),
      'POST /app/assessments/:id/return': () => ({ id: submitted.id }),
      'POST /app/queue/transitions/:id/approve': () => ({ id: transition.id }),
      'POST /app/queue/transitions/:id/reject': () => ({ id: transition.id }),
      'POST /app/notifications/:id/retry': () => ({ id: notification.id }),
      'GET /app/assessments/:id': () => ({ id: submitted.id }),
      'POST /app/account/tokens/:tokenId/revoke': (caller) => ({
        tokenId: tokens.get(caller.id)!,
      }),
      'GET /app/users/:id': () => ({ id: observer.id }),
      'POST /app/users/:id': () => ({ id: observer.id }),
      'POST /app/users/:id/password': () => ({ id: observer.id }),
      'POST /app/users/:id/invitation': () => ({ id: invited.id }),
      'POST /app/users/:id/state': () => ({ id: observer.id }),
      'POST /api/v1/users/:id/invitation': () => ({ id: invited.id }),
      'GET /invitation/:token': () => ({ token: invited.token }),
      'POST /invitation/:token': () => ({ token: invited.token }),
      'POST /app/users/:id/tokens/:tokenId/revoke': () => ({
        id: staff.national_team.id,
        tokenId: tokens.get(staff.national_team.id)!,
      }),
    };
    const urlOf = (route: Route, caller: TestUser, garbage: Record<string, string> = {}) => {
      const key = `${route.method} ${route.path}`;
      if (route.path.includes(':') && !targets[key])
        throw new Error(`${key}: no target row in the drill`);
      const values = { ...targets[key]?.(caller), ...garbage };
      return route.path.replace(/:(\w+)/g, (_, name: string) => values[name]);
    };

    const all = await routes();
    const writes = all.filter((route) => route.method !== 'GET');
    const reads = all.filter((route) => route.method === 'GET' && route.query.length > 0);
    const tally = new Tally();
    const sql = new Tally();
    for (const user of Object.values(staff)) await tokenOf(user);
    const initial = await snapshot();
    let before = initial;
    async function settle(target: Tally, label: string) {
      const after = await snapshot();
      for (const change of changes(before, after))
        target.failures.push(`${label} changed data: ${change}`);
      before = after;
    }

    for (const route of writes) {
      // A national team writes to its own country's rows, which the targets are.
      const callers = route.roles.includes('national_team')
        ? [staff.admin, staff.national_team]
        : [staff.admin];
      // The sign-out page reads no body and always sends the browser on: 303 is its refusal too.
      const refused = (status: number) =>
        status >= 400 || (route.path === '/logout' && status === 303);
      interface Attempt {
        label: string;
        caller: TestUser;
        url: string;
        payload: string | Buffer;
        contentType: string;
      }
      const attempts: Attempt[] = [];
      const bodies = fc.sample(malformedBody(route.fields, { unknownFieldsRefused: !route.page }), {
        seed: seedFor(`${route.method} ${route.path}`),
        numRuns: BODIES_PER_ROUTE,
      });
      for (const [index, body] of bodies.entries()) {
        const caller = callers[index % callers.length];
        attempts.push({
          label: `body #${index} as ${caller.role}: ${shown(body)}`,
          caller,
          url: urlOf(route, caller),
          payload: JSON.stringify(body),
          contentType: 'application/json',
        });
      }
      for (const raw of RAW_BODIES) {
        attempts.push({
          label: `raw body: ${raw.name}`,
          caller: staff.admin,
          url: urlOf(route, staff.admin),
          payload: raw.payload,
          contentType: 'application/json',
        });
      }
      for (const wrong of WRONG_CONTENT_TYPES) {
        // A page's form posts url-encoded fields: no wrong type there, and its bodies come above.
        if (route.page && wrong.contentType === 'application/x-www-form-urlencoded') continue;
        attempts.push({
          label: `content-type "${wrong.contentType}": ${shown(wrong.payload)}`,
          caller: staff.admin,
          url: urlOf(route, staff.admin),
          ...wrong,
        });
      }
      if (/\/documents(\/:kind)?$/.test(route.path) && route.method === 'POST') {
        for (const upload of BAD_UPLOADS) {
          attempts.push({
            label: `upload: ${upload.name}`,
            caller: staff.national_team,
            url: urlOf(route, staff.national_team),
            payload: upload.payload,
            contentType: upload.contentType,
          });
        }
      }
      for (const name of route.path.match(/(?<=:)\w+/g) ?? []) {
        for (const garbage of GARBAGE_PATH_VALUES) {
          attempts.push({
            label: `path ${name}=${shown(garbage)}`,
            caller: staff.admin,
            url: urlOf(route, staff.admin, { [name]: garbage }),
            payload: JSON.stringify(plausibleBody(route.fields)),
            contentType: 'application/json',
          });
        }
      }
      await inParallel(attempts, async (attempt) => {
        const answer = await t.app.inject({
          method: route.method,
          url: attempt.url,
          headers: {
            ...bearer(await tokenOf(attempt.caller)),
            ...(attempt.contentType ? { 'content-type': attempt.contentType } : {}),
          },
          payload: attempt.payload,
        });
        tally.record(route, attempt.label, answer, refused);
      });
      await settle(tally, `${route.method} ${route.path}`);
    }

    const admin = bearer(await tokenOf(staff.admin));
    for (const route of reads) {
      const url = urlOf(route, staff.admin);
      const get = (query: string) =>
        t.app.inject({ method: 'GET', url: `${url}?${query}`, headers: admin });
      const baseline = await t.app.inject({ method: 'GET', url, headers: admin });
      // A download's `version` picks one file: a well-formed number of none is not found.
      const picksOne = route.path === '/api/v1/documents/:id/download';
      const fine = (status: number) =>
        status === 200 || status === 400 || (picksOne && status === 404);
      const unfiltered =
        // A download answers its file, not a list.
        !route.page &&
        baseline.statusCode === 200 &&
        String(baseline.headers['content-type']).startsWith('application/json')
          ? (baseline.json() as { total?: number }).total
          : undefined;
      for (const parameter of route.query) {
        const values = fc.sample(malformedQueryValue(parameter.values), {
          seed: seedFor(`GET ${route.path} ${parameter.name}`),
          numRuns: VALUES_PER_PARAMETER,
        });
        const queries = [
          ...values.map((value) =>
            [value]
              .flat()
              .map((item) => `${parameter.name}=${encodeQueryValue(item)}`)
              .join('&'),
          ),
          // Percent signs that decode to nothing, a name without a value, bracket syntax.
          ...['=%', '=%zz', '=%E0%A4%A', '', '[]=x', '[a]=b'].map(
            (raw) => `${parameter.name}${raw}`,
          ),
        ];
        await inParallel(queries, async (query) =>
          tally.record(route, `?${shown(query)}`, await get(query), fine),
        );
        await inParallel(SQL_INJECTIONS, async (injection) => {
          const answer = await get(`${parameter.name}=${encodeQueryValue(injection)}`);
          sql.record(route, `?${parameter.name}=${injection}`, answer, fine);
          const total =
            answer.statusCode === 200 && unfiltered !== undefined
              ? (answer.json() as { total?: number }).total
              : undefined;
          if (total !== undefined && total > unfiltered!) {
            sql.failures.push(
              `GET ${route.path}?${parameter.name}=${injection}: ${total} items, more than the ${unfiltered} unfiltered`,
            );
          }
        });
      }
      await settle(tally, `GET ${route.path}`);
    }
    const overall = changes(initial, await snapshot());

    const parameters = reads.reduce((sum, route) => sum + route.query.length, 0);
    const seconds = Math.round((Date.now() - started) / 1000);
    report({
      drill: 'bad input',
      inputs: tally.inputs + 2,
      failures: tally.failures.length + largeBodyFailures.length,
      figures:
        `seed ${SEED}; ${writes.length} write routes × ${BODIES_PER_ROUTE} bodies + ${RAW_BODIES.length} raw + ` +
        `${WRONG_CONTENT_TYPES.length} content types + path garbage; ${parameters} query parameters on ` +
        `${reads.length} GET routes × ${VALUES_PER_PARAMETER + 6} values; statuses ${tally.summary()}; ` +
        `${largeBody || '10 MB body: not run'}; ${seconds} s`,
    });
    report({
      drill: 'bad input: SQL injection',
      inputs: sql.inputs,
      failures: sql.failures.length + overall.length,
      figures: `${SQL_INJECTIONS.length} strings × ${parameters} query parameters; statuses ${sql.summary()}; tables and audit trail ${overall.length === 0 ? 'unchanged' : 'CHANGED'} over the drill`,
    });
    const failures = [
      ...tally.failures,
      ...sql.failures,
      ...overall.map((change) => `over the drill: ${change}`),
    ];
    writeFileSync(FAILURES_FILE, failures.join('\n'));
    expect(failures).toEqual([]);
  });
});
