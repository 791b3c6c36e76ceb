import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp, startTestApp } from './support/test-app.js';

/**
 * The published contract (ARCHITECTURE.md rule 13): every operation declares its typed answer,
 * a client generated from the live document type-checks, and Redocly's recommended rules pass.
 */
const OUT = join(process.cwd(), 'test-artifacts', 'openapi-contract');
const CLIENT = join(OUT, 'client');
const DOCUMENT = join(OUT, 'openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Operation {
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

function operations(document: OpenApi): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      item[method]!,
    ]),
  );
}

interface SchemaLike {
  type?: string;
  items?: SchemaLike;
  properties?: object;
  additionalProperties?: unknown;
  allOf?: unknown[];
  $ref?: string;
}

interface OpenApi {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  security?: unknown[];
  servers?: unknown[];
}

function run(command: string, args: string[], cwd = process.cwd()): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(process.cwd(), command), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 150_000,
    // Redocly reports nothing home and checks for no update: the lint runs offline.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
}

/**
 * A small client written against the generated `paths`, as an integrator would: request and
 * answer bodies come from the document, so a schema that is missing or untyped fails to compile.
 * The @ts-expect-error lines fail the build if an answer is typed `any` or `never`.
 */
const CLIENT_SOURCE = `import type { components, paths } from './api.js';

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of an operation's 2xx answer. */
type Ok<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 ? Json<R[S]> : never }[keyof R]
  : never;
type RequestBody<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Problem = components['schemas']['Problem'];

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

export class Client {
  constructor(
    private readonly baseUrl: string,
    private token?: string,
  ) {}

  async call<P extends keyof paths, M extends Method>(
    method: M,
    path: P,
    options: { params?: Record<string, string>; body?: RequestBody<paths[P][M]> } = {},
  ): Promise<Ok<paths[P][M]>> {
    const url = String(path).replace(/\\{(\\w+)\\}/g, (_, name: string) =>
      encodeURIComponent(options.params?.[name] ?? ''),
    );
    const response = await fetch(this.baseUrl + url, {
      method: method.toUpperCase(),
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: 'Bearer ' + this.token } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (!response.ok) throw new ApiError((await response.json()) as Problem);
    return (await response.json()) as Ok<paths[P][M]>;
  }

  async login(email: string, password: string): Promise<string> {
    const session = await this.call('post', '/api/v1/auth/login', { body: { email, password } });
    const tokenType: 'Bearer' = session.tokenType;
    const role: 'admin' | 'itu_pm' | 'regional_coordinator' | 'national_team' | 'observer' =
      session.user.role;
    void tokenType;
    void role;
    this.token = session.accessToken;
    return session.accessToken;
  }
}

export async function tour(client: Client): Promise<string[]> {
  await client.login('amina@cert.go.ke', 'correct horse battery staple');
  const programmes = await client.call('get', '/api/v1/programmes');
  const first = programmes.items[0];
  const countryCode: string = first.countryCode;
  const total: number = programmes.total + programmes.page + programmes.pageSize;
  const phase: 'readiness_assessment' | 'planning' | 'implementation' | 'operation' | 'maintenance' =
    first.phase;
  // @ts-expect-error countryCode is a string
  const notANumber: number = first.countryCode;
  // @ts-expect-error a programme has no such field
  void first.noSuchField;

  const detail = await client.call('get', '/api/v1/programmes/{id}', { params: { id: first.id } });
  const gatePassed: boolean | undefined = detail.pendingTransition?.gate?.checks[0]?.passed;
  const created = await client.call('post', '/api/v1/programmes', {
    body: { countryCode: 'KE', cirtType: 'national' },
  });
  const version: number = created.version;
  const transition = await client.call('post', '/api/v1/programmes/{id}/transitions', {
    params: { id: created.id },
    body: { toPhase: 'planning' },
  });
  const checks: string[] = transition.gate?.checks.map((check) => check.key + check.detail) ?? [];

  const milestones = await client.call('get', '/api/v1/programmes/{id}/milestones', {
    params: { id: first.id },
  });
  const overdue: boolean = milestones.items[0].overdue;
  const score = await client.call('get', '/api/v1/assessments/{id}/score', {
    params: { id: first.id },
  });
  const overall: number | null = score.overall;
  const gaps: number = score.gaps?.length ?? 0;
  const report = await client.call('post', '/api/v1/reports', {
    body: { scope: { regionCode: 'AFR' }, formats: ['csv'] },
  });
  const queued: 'queued' = report.status;
  const reports = await client.call('get', '/api/v1/reports');
  const progress: number = reports.items[0].progress;
  const token = await client.call('post', '/api/v1/auth/tokens', { body: { name: 'nightly' } });
  const secret: string = token.token;
  const me = await client.call('get', '/api/v1/auth/me');
  const scan = await client.call('post', '/api/v1/reminders/scan');
  const regions = await client.call('get', '/api/v1/regions');
  const ready = await client.call('get', '/health/ready');
  // @ts-expect-error formats are json, csv, xlsx or pdf
  await client.call('post', '/api/v1/reports', { body: { scope: {}, formats: ['doc'] } });

  void notANumber;
  return [
    countryCode,
    String(total),
    phase,
    String(gatePassed),
    String(version),
    ...checks,
    String(overdue),
    String(overall),
    String(gaps),
    queued,
    String(progress),
    secret,
    me.email,
    scan.jobId,
    regions[0].code,
    ready.status,
  ];
}
`;

describe('OpenAPI contract', () => {
  let t: TestApp;
  let document: OpenApi;

  beforeAll(async () => {
    t = await startTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/api/docs-json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(CLIENT, { recursive: true });
    writeFileSync(DOCUMENT, JSON.stringify(document, null, 2));
  });
  afterAll(() => t.close());

  it('should declare a summary, a typed 2xx answer and its problems for every operation', () => {
    const all = operations(document);
    expect(all.length).toBeGreaterThan(50);
    const missing = all.flatMap(([name, operation]) => {
      const faults: string[] = [];
      if (!operation.summary) faults.push('no summary');
      const success = Object.entries(operation.responses).filter(([status]) =>
        status.startsWith('2'),
      );
      if (success.length === 0) faults.push('no 2xx answer');
      for (const [status, answer] of success) {
        if (status === '204') continue;
        const schemas = Object.values(answer.content ?? {}).map((media) => media.schema);
        if (schemas.length === 0 || schemas.some((schema) => !schema)) {
          faults.push(`${status} without a schema`);
        }
      }
      const problems = Object.entries(operation.responses).filter(([status]) =>
        status.startsWith('4'),
      );
      if (!name.includes(' /health/') && problems.length === 0) faults.push('no 4xx answer');
      for (const [status, answer] of problems) {
        if (!answer.content?.['application/problem+json']) {
          faults.push(`${status} is not a problem+json`);
        }
      }
      return faults.map((fault) => `${name}: ${fault}`);
    });
    expect(missing).toEqual([]);
  });

  it('should declare the bearer scheme, require it by default and list a server', () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    const publicOperations = operations(document)
      .filter(([, operation]) => operation.security?.length === 0)
      .map(([name]) => name);
    expect(publicOperations.sort()).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'POST /api/v1/auth/invitations/accept',
      'POST /api/v1/auth/login',
    ]);
  });

  it('should type every property: no object without properties, and no union left untyped', () => {
    const untyped = Object.entries(document.components.schemas).flatMap(([name, schema]) =>
      Object.entries((schema as { properties?: Record<string, SchemaLike> }).properties ?? {})
        .filter(([, property]) => {
          const type = property.type === 'array' ? property.items : property;
          return (
            type?.type === 'object' &&
            !type.properties &&
            !type.additionalProperties &&
            !type.allOf &&
            !type.$ref
          );
        })
        .map(([property]) => `${name}.${property}`),
    );
    expect(untyped).toEqual([]);
  });

  it('should answer lists as one page schema per item type', () => {
    const page = document.components.schemas.ProgrammeSummaryPage;
    expect(page).toMatchObject({
      required: expect.arrayContaining(['items', 'total', 'page', 'pageSize']),
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/ProgrammeSummary' } },
      },
    });
    const list = document.paths['/api/v1/programmes'].get!.responses['200'];
    expect(list.content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ProgrammeSummaryPage',
    });
  });

  it('should generate types from the document that a typed client compiles against', () => {
    const generated = run('node_modules/openapi-typescript/bin/cli.js', [
      DOCUMENT,
      // A field with a default is optional in a request (expiresInDays, pageSize).
      '--default-non-nullable=false',
      '--output',
      join(CLIENT, 'api.d.ts'),
    ]);
    expect({ status: generated.status, errors: generated.stderr }).toEqual({
      status: 0,
      errors: expect.any(String),
    });
    writeFileSync(join(CLIENT, 'client.ts'), CLIENT_SOURCE);
    writeFileSync(
      join(CLIENT, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['ES2023', 'DOM'],
          types: [],
          skipLibCheck: false,
        },
        files: ['client.ts', 'api.d.ts'],
      }),
    );
    const compiled = run('node_modules/typescript/bin/tsc', [
      '-p',
      join(CLIENT, 'tsconfig.json'),
      '--pretty',
      'false',
    ]);
    expect({ status: compiled.status, output: compiled.stdout + compiled.stderr }).toEqual({
      status: 0,
      output: '',
    });
  }, 240_000);

  it("should pass Redocly's recommended rules with no error", () => {
    // Run beside the document, so no configuration of the project's changes the rules.
    const lint = run(
      'node_modules/@redocly/cli/bin/cli.js',
      ['lint', DOCUMENT, '--extends=recommended', '--format=json', '--max-problems=1000'],
      OUT,
    );
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: unknown[] }[];
    };
    const errors = report.problems.filter((problem) => problem.severity === 'error');
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 160_000);
});
