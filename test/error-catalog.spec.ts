import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import {
  fieldErrorCodes,
  fieldErrorEntries,
  problemCodes,
  problemEntries,
} from '../src/common/error-catalog.js';
import { constraintEntry } from '../src/common/validation.js';
import { formatError, hasMessage, messageKeys } from '../src/messages/catalog.js';
import { type Staff, createStaff } from './factories/users.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { AppConfig } from '../src/config/app-config.js';

const SRC = join(process.cwd(), 'src');

function sourceFiles(folder = SRC): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Sentences of class-validator's English defaults, which must never reach a caller. */
const CLASS_VALIDATOR_DEFAULTS =
  /must be a string|must be an integer number|must be one of the following values|must be longer than|must be shorter than|should not be empty|must be a valid ISO 8601|must match .* regular expression|must be a UUID|must be an email/;

describe('error catalog', () => {
  beforeAll(async () => {
    // Every module's catalog, the CLI's included, whether or not the app loads it.
    for (const file of sourceFiles().filter((path) => path.endsWith('.errors.ts'))) {
      await import(pathToFileURL(file).href);
    }
  });

  it('should have an English message for every problem and field error entry', () => {
    const entries = [...problemEntries(), ...fieldErrorEntries()];
    expect(entries.length).toBeGreaterThan(100);
    const missing = entries.filter((entry) => !hasMessage('errors', entry.messageKey));
    expect(missing.map((entry) => entry.messageKey)).toEqual([]);
    // A problem's title is its status's name, in the reader's language.
    const untitled = problemEntries().filter(
      (entry) => !hasMessage('errors', `title.${entry.status}`),
    );
    expect(untitled.map((entry) => entry.status)).toEqual([]);
    for (const entry of entries) {
      const text = formatError(entry.messageKey, { field: 'x', each: 'no', count: 2 });
      expect(text.length).toBeGreaterThan(0);
    }
  });

  it('should have no English message that no entry uses', () => {
    const keys = new Set([
      ...[...problemEntries(), ...fieldErrorEntries()].map((e) => e.messageKey),
      ...problemEntries().map((entry) => `title.${entry.status}`),
    ]);
    expect(messageKeys('errors').filter((key) => !keys.has(key))).toEqual([]);
  });

  it('should build every refusal from a catalog entry, never from a literal status, code or sentence', () => {
    const offences = sourceFiles().flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const where = relative(process.cwd(), file);
      return [
        // DomainError takes an entry of a *.errors.ts catalog (the type system holds the rest).
        ...[...text.matchAll(/new DomainError\(\s*(\d|['"`])/g)].map(() => `${where}: literal`),
        // The subclasses that took codes and sentences are gone.
        ...[
          ...text.matchAll(
            /\b(NotFound|Forbidden|Conflict|Unauthorized|TooManyRequests|ValidationFailed)Error\b/g,
          ),
        ].map((match) => `${where}: ${match[0]}`),
        // A DTO's rule names a catalog key (catalogMessage), not an English sentence.
        ...(where.includes('/dto/')
          ? [...text.matchAll(/\bmessage:\s*['"`]/g)].map(() => `${where}: DTO message`)
          : []),
      ];
    });
    expect(offences).toEqual([]);
  });
});

describe('error catalog over HTTP', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await createStaff(t.dataSource);
  });
  afterAll(() => t.close());

  it('should map every validation rule of every DTO to a field error code of its own', () => {
    const storage = getMetadataStorage() as unknown as {
      validationMetadatas: Map<{ name: string }, { type: string; name?: string }[]>;
    };
    // The environment's rules (AppConfig) answer at start-up, not to a request.
    const rules = [...storage.validationMetadatas]
      .filter(([target]) => target.name !== AppConfig.name)
      .flatMap(([, metadata]) => metadata);
    expect(rules.length).toBeGreaterThan(100);
    const names = new Set(
      rules
        .filter((rule) => rule.type !== 'conditionalValidation')
        .map((rule) => (rule.type === 'customValidation' ? rule.name : rule.type) ?? '?'),
    );
    const unmapped = [...names].filter((name) => constraintEntry(name).code === 'invalid');
    expect(unmapped).toEqual([]);
  });

  it('should list every catalog code in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/docs-json' });
    expect(response.statusCode).toBe(200);
    const schemas = response.json().components.schemas;
    const codes: string[] = schemas.Problem.properties.code.enum;
    expect(codes).toEqual(problemCodes());
    expect(codes).toEqual(
      expect.arrayContaining([
        'programme_cancelled',
        'gate_failed',
        'version_conflict',
        'validation_failed',
        'not_found',
        'too_many_requests',
        'database_unavailable',
        'internal_error',
        'payload_too_large',
        'current_password_invalid',
        'owner_does_not_cover_scope',
      ]),
    );
    expect(schemas.Problem.properties.errors.items.$ref).toBe('#/components/schemas/FieldProblem');
    expect(schemas.FieldProblem.properties.code.enum).toEqual(fieldErrorCodes());
    expect(schemas.FieldProblem.properties.code.enum).toEqual(
      expect.arrayContaining(['unknown_field', 'is_int', 'length', 'phase_milestones_closed']),
    );
    expect(schemas.FieldProblem.required).toEqual(expect.arrayContaining(['field', 'code']));
  });

  it('should answer each invalid field with a catalog code and sentence, not class-validator’s', async () => {
    const admin = client(t, staff.admin);
    const refused = await admin('POST', '/api/v1/programmes', {
      countryCode: 'kenya',
      cirtType: 'bogus',
      title: 'x'.repeat(201),
      startDate: 'soon',
      extra: 1,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'validation_failed',
      detail: 'The request is not valid: see errors',
    });
    const errors: { field: string; code: string; message: string }[] = refused.json().errors;
    const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field);
    expect([...errors].sort(byField)).toEqual([
      {
        field: 'cirtType',
        code: 'is_in',
        message: 'cirtType must be one of national, government, sectoral',
      },
      {
        field: 'countryCode',
        code: 'country_code',
        message: 'countryCode must be an ISO 3166-1 alpha-2 code such as KE',
      },
      { field: 'extra', code: 'unknown_field', message: 'property extra should not exist' },
      {
        field: 'startDate',
        code: 'is_calendar_date',
        message: 'startDate must be a calendar date YYYY-MM-DD',
      },
      { field: 'title', code: 'length', message: 'title must be 1 to 200 characters' },
    ]);
  });

  it('should answer the same bad request in the language of Accept-Language, with the same codes', async () => {
    const token = await t.tokenFor(staff.admin);
    const answers = await Promise.all(
      ['en', 'fr-FR,fr;q=0.9', 'ar'].map((language) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/programmes',
          payload: { countryCode: 'kenya', cirtType: 'national', title: 'x' },
          headers: { authorization: `Bearer ${token}`, 'accept-language': language },
        }),
      ),
    );
    const [en, fr, ar] = answers.map((answer) => {
      expect(answer.statusCode).toBe(400);
      return answer.json();
    });
    for (const body of [en, fr, ar]) {
      expect(body.code).toBe('validation_failed');
      expect(
        body.errors.map((error: { field: string; code: string }) => [error.field, error.code]),
      ).toEqual([['countryCode', 'country_code']]);
    }
    expect(en.detail).toBe('The request is not valid: see errors');
    expect(en.title).toBe('Bad Request');
    expect(new Set([en.detail, fr.detail, ar.detail]).size).toBe(3);
    expect(new Set([en.title, fr.title, ar.title]).size).toBe(3);
    expect(new Set(answers.map((answer) => answer.json().errors[0].message)).size).toBe(3);
    expect(ar.detail).toMatch(/[\u0600-\u06FF]/);
    expect(fr.errors[0].message).toContain('countryCode');
  });

  it('should give nested and each-value rules their arguments and codes', async () => {
    const admin = client(t, staff.admin);
    const refused = await admin('POST', '/api/v1/reports', {
      scope: { countryCodes: ['ke'] },
      formats: ['doc'],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      {
        field: 'scope.countryCodes',
        code: 'country_codes',
        message: 'countryCodes must be ISO 3166-1 alpha-2 codes such as KE',
      },
      {
        field: 'formats',
        code: 'is_in',
        message: 'each value in formats must be one of json, csv, xlsx, pdf',
      },
    ]);
    const user = await admin('POST', '/api/v1/users', {
      email: 'not-an-address',
      displayName: 'Someone',
      role: 'observer',
      password: 'short',
    });
    expect(user.statusCode).toBe(400);
    expect(user.json().errors).toEqual([
      { field: 'email', code: 'is_email', message: 'email must be an e-mail address' },
      { field: 'password', code: 'length', message: 'password must be 12 to 256 characters' },
    ]);
  });

  it('should never answer a class-validator default sentence', async () => {
    const admin = client(t, staff.admin);
    const answers = await Promise.all([
      admin('POST', '/api/v1/programmes', { countryCode: 5, cirtType: 5, title: 5, sector: '' }),
      admin('PATCH', '/api/v1/programmes/00000000-0000-4000-8000-000000000000', {
        version: 'one',
        targetDate: 7,
      }),
      admin('POST', '/api/v1/report-schedules', { cron: 5, scope: 'all', recipients: ['x'] }),
      admin('GET', '/api/v1/programmes?page=zero&pageSize=1000'),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(400);
      for (const item of answer.json().errors) {
        expect(item).toEqual({
          field: expect.any(String),
          code: expect.any(String),
          message: expect.any(String),
        });
        expect(fieldErrorCodes()).toContain(item.code);
        expect(item.code).not.toBe('invalid');
        expect(item.message).not.toMatch(CLASS_VALIDATOR_DEFAULTS);
      }
    }
  });
});
