import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The data rules of docs/architecture.md, checked on the source text: each table is written only
 * by its owning module's repository, SQL lives in repositories and read models (`*.query.ts`),
 * and read models never write.
 */
const SRC = dirname(fileURLToPath(import.meta.url));

/** Table → the module folder that owns it. A new table is added here with its migration. */
const OWNERS: Record<string, string> = {
  api_tokens: 'auth',
  assessment_campaigns: 'campaigns',
  assessment_responses: 'assessments',
  assessment_templates: 'assessments',
  assessments: 'assessments',
  audit_events: 'audit',
  auth_sessions: 'auth',
  countries: 'countries',
  digest_items: 'events',
  document_chunks: 'documents',
  document_versions: 'documents',
  documents: 'documents',
  milestones: 'milestones',
  notification_preferences: 'events',
  notifications: 'notifications',
  phase_transitions: 'programmes',
  programmes: 'programmes',
  rate_limit_counters: 'rate-limits',
  regions: 'countries',
  report_files: 'reports',
  report_schedules: 'reports',
  reports: 'reports',
  server_secrets: 'auth',
  stakeholders: 'stakeholders',
  status_updates: 'status-updates',
  user_invitations: 'users',
  users: 'users',
};

/** Infrastructure that talks to the database as such: creating it, migrating, paging a query. */
const INFRASTRUCTURE = [/^database\//, /^common\/pagination\.ts$/];

const DATA_ACCESS = [
  /\.query\(/,
  /\.createQueryBuilder\(/,
  /\.getRepository\(/,
  /@InjectRepository/,
  /\b(manager|em|entityManager)\.(?!transaction\b)\w+\(/,
];

const WRITE =
  /\b(?:INSERT INTO|DELETE FROM)\s+"?(\w+)|\bUPDATE\s+"?(\w+)"?\s+(?:AS\s+\w+\s+)?SET\b/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({
  path: relative(SRC, path).split('\\').join('/'),
  text: readFileSync(path, 'utf8'),
}));

const isRepository = (path: string) => path.endsWith('.repository.ts');
const isReadModel = (path: string) => path.endsWith('.query.ts');
const moduleOf = (path: string) => path.split('/')[0];

function tablesWritten(text: string): string[] {
  return [...text.matchAll(WRITE)].map((match) => match[1] ?? match[2]);
}

describe('house rules for data', () => {
  it('keeps SQL and entity access in repositories and read models', () => {
    const offenders = files
      .filter(({ path }) => !isRepository(path) && !isReadModel(path))
      .filter(({ path }) => !INFRASTRUCTURE.some((pattern) => pattern.test(path)))
      .flatMap(({ path, text }) =>
        DATA_ACCESS.filter((pattern) => pattern.test(text)).map((pattern) => `${path} ${pattern}`),
      );
    expect(offenders).toEqual([]);
  });

  it('writes each table only in its owning module, through its repository', () => {
    const offenders = files.flatMap(({ path, text }) =>
      tablesWritten(text)
        .filter((table) => !(isRepository(path) && OWNERS[table] === moduleOf(path)))
        .map((table) => `${path} writes ${table} (owner: ${OWNERS[table] ?? 'unknown'})`),
    );
    expect(offenders).toEqual([]);
  });

  it('has one repository per module, using only its own entities', () => {
    const repositories = files.filter(({ path }) => isRepository(path));
    const perModule = new Map<string, string[]>();
    for (const { path } of repositories) {
      perModule.set(moduleOf(path), [...(perModule.get(moduleOf(path)) ?? []), path]);
    }
    expect([...perModule.values()].filter((paths) => paths.length > 1)).toEqual([]);

    const foreignEntities = repositories.flatMap(({ path, text }) =>
      [...text.matchAll(/from '\.\.\/([\w-]+)\/[\w-]+\.entity\.js'/g)].map(
        (match) => `${path} imports an entity of ${match[1]}`,
      ),
    );
    expect(foreignEntities).toEqual([]);
  });

  it('knows the owner of every table the migrations create', () => {
    const migrations = join(SRC, '..', 'migrations');
    const created = readdirSync(migrations).flatMap((name) =>
      [...readFileSync(join(migrations, name), 'utf8').matchAll(/CREATE TABLE (\w+)/g)].map(
        (match) => match[1],
      ),
    );
    expect(created.filter((table) => !OWNERS[table])).toEqual([]);
  });
});

describe('house rules for Nest', () => {
  it('uses only the public API of Nest', () => {
    const privateImports = files.filter(({ text }) =>
      /from '@nestjs\/[\w-]+\/(?!index\.js')[^']+'/.test(text),
    );
    expect(privateImports.map(({ path }) => path)).toEqual([]);
  });

  it('reads request bodies with the Body that marks the route for UnreadBodyInterceptor', () => {
    const nestBody = files.filter(
      ({ path, text }) =>
        path !== 'common/body.decorator.ts' &&
        /import \{[^}]*\bBody\b[^}]*\} from '@nestjs\/common'/.test(text),
    );
    expect(nestBody.map(({ path }) => path)).toEqual([]);
  });
});
