import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source.js';
import { capturedOutput, runToEnd } from './support/child-process.js';
import { freePort } from './support/redis-server.js';
import {
  cloneTemplateDatabase,
  databaseUrl,
  dropDatabase,
  TEST_REDIS_URL,
  testConfig,
  uniqueDatabaseName,
} from './support/test-database.js';

// These run the built service (`npm test` builds first) as an operator would start it, on an
// external PostgreSQL and Redis: the way to run several processes (test/embedded-database.spec.ts
// runs it with neither).
const MAIN = 'dist/src/main.js';

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startService(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, LOG_LEVEL: 'info', REDIS_URL: TEST_REDIS_URL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, output: capturedOutput(child) };
}

async function waitUntilReady(service: Started, port: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (service.child.exitCode !== null) throw new Error(`exited early:\n${service.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`port ${port} was not ready within ${timeoutMs} ms:\n${service.output()}`);
}

async function stop(service: Started): Promise<number | null> {
  if (service.child.exitCode !== null) return service.child.exitCode;
  const exited = once(service.child, 'exit');
  service.child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

describe('starting the service', () => {
  it('should exit non-zero naming DATABASE_URL when it is nonsense', async () => {
    const service = startService({ DATABASE_URL: 'nonsense', PORT: 'many' });
    const [code] = await once(service.child, 'exit');
    expect(code).not.toBe(0);
    expect(service.output()).toContain('DATABASE_URL');
    expect(service.output()).toContain('PORT');
  });

  it('should bring two processes up on one empty database and migrate it once', async () => {
    const name = uniqueDatabaseName('startup');
    const ports = [await freePort(), await freePort()];
    const services = ports.map((port) =>
      startService({
        DATABASE_URL: databaseUrl(name),
        PORT: String(port),
        HOST: '127.0.0.1',
        QUEUE_PREFIX: name.replace(/_/g, '-'),
      }),
    );
    try {
      await Promise.all(services.map((service, i) => waitUntilReady(service, ports[i], 20_000)));

      const dataSource = new DataSource(
        dataSourceOptions(testConfig({ DATABASE_URL: databaseUrl(name) }), 1),
      );
      await dataSource.initialize();
      const applied: { name: string }[] = await dataSource.query('SELECT name FROM migrations');
      await dataSource.destroy();
      expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => migration.name));
      const logs = services.map((service) => service.output()).join('\n');
      expect(logs.match(/Applied migrations/g)).toHaveLength(1);

      for (const service of services) expect(await stop(service)).toBe(0);
    } finally {
      await Promise.all(services.map(stop));
      await dropDatabase(name);
    }
  });

  it('should run workers without serving HTTP when PROCESS_ROLE is worker, and stop on SIGTERM', async () => {
    const port = await freePort();
    const database = await cloneTemplateDatabase('worker');
    const service = startService({
      PROCESS_ROLE: 'worker',
      DATABASE_URL: database.url,
      QUEUE_PREFIX: database.name.replace(/_/g, '-'),
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    try {
      while (!service.output().includes('Running workers only')) {
        if (service.child.exitCode !== null) throw new Error(service.output());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    } finally {
      expect(await stop(service)).toBe(0);
      await database.drop();
    }
  });
});

describe('the operator CLI', () => {
  async function runCli(
    args: string[],
    input: string,
    databaseUrlValue: string,
    language = 'en_US.UTF-8',
  ) {
    return runToEnd('dist/src/cli.js', args, {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrlValue,
        LOG_LEVEL: 'silent',
        LC_ALL: language,
      },
      input,
    });
  }

  // Four cold starts of the CLI, about 3 s each on an idle machine, several times that while CI
  // runs the other suites beside it.
  it('should create a user with the password from standard input, and refuse bad input', async () => {
    const database = await cloneTemplateDatabase('cli');
    try {
      const created = await runCli(
        [
          'user:create',
          '--email',
          'Focal@Example.org',
          '--role',
          'national_team',
          '--country',
          'KE',
        ],
        'a password read from stdin\n',
        database.url,
      );
      expect(created).toMatchObject({ code: 0 });
      expect(created.output).toMatch(/Created national_team focal@example.org/);

      const missingScope = await runCli(
        ['user:create', '--email', 'rc@example.org', '--role', 'regional_coordinator'],
        'a password read from stdin\n',
        database.url,
      );
      expect(missingScope.code).not.toBe(0);
      expect(missingScope.output).toContain('regionCode');

      // In the operator's language, as their shell's locale says.
      const french = await runCli(
        ['user:create', '--email', 'pm@example.org', '--role', 'itu_pm'],
        'a password read from stdin\n',
        database.url,
        'fr_FR.UTF-8',
      );
      expect(french).toMatchObject({ code: 0 });
      expect(french.output).toMatch(/^Utilisateur créé\u00a0: itu_pm pm@example.org/);
      const frenchRefusal = await runCli(
        ['user:create', '--email', 'rc2@example.org', '--role', 'regional_coordinator'],
        'a password read from stdin\n',
        database.url,
        'fr_FR.UTF-8',
      );
      expect(frenchRefusal.code).not.toBe(0);
      expect(frenchRefusal.output).toContain('regionCode');
      expect(frenchRefusal.output).not.toContain(missingScope.output.split('\n')[0]);

      const dataSource = new DataSource(
        dataSourceOptions(testConfig({ DATABASE_URL: database.url }), 1),
      );
      await dataSource.initialize();
      const users = await dataSource.query(
        `SELECT email, role, country_code, password_hash FROM users ORDER BY email`,
      );
      await dataSource.destroy();
      // The two created; neither refusal wrote anything.
      expect(users.map((user: { email: string }) => user.email)).toEqual([
        'focal@example.org',
        'pm@example.org',
      ]);
      expect(users[0]).toMatchObject({
        email: 'focal@example.org',
        role: 'national_team',
        country_code: 'KE',
      });
      expect(users[0].password_hash).toMatch(/^\$argon2id\$/);
    } finally {
      await database.drop();
    }
  }, 90_000);
});
