import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { capturedOutput, runToEnd } from './support/child-process.js';
import { freePort } from './support/redis-server.js';
import { type ReceivedMail, SmtpSink } from './support/smtp-sink.js';
import { testConfig } from './support/test-database.js';
import { waitFor } from './support/wait.js';

// The built service (`npm test` builds first) with DATABASE_URL and REDIS_URL unset, as `npm start`
// runs it on a machine with nothing but Node: it starts its own PostgreSQL in DATA_DIR and keeps its
// queues there.
const MAIN = join(process.cwd(), 'dist/src/main.js');
const CLI = join(process.cwd(), 'dist/src/cli.js');
const READY_TIMEOUT_MS = 90_000;

let root: string;
const prefix = `emb-${process.pid}-${Date.now().toString(36)}`;
// Redis only to check that the service, without REDIS_URL, keeps none of its queues there.
const redisUrl = testConfig().REDIS_URL ?? 'redis://127.0.0.1:6379';
const services: ChildProcess[] = [];
const smtp = new SmtpSink();

/** The environment of a process on the embedded database: no DATABASE_URL, DATA_DIR of the test. */
function embeddedEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: prefix,
    NODE_ENV: 'test',
    ...extra,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function startService(dataDir: string): Promise<Started> {
  const port = await freePort();
  // The working directory is the test's own, so that no developer's .env names a database.
  const child = spawn(process.execPath, [MAIN], {
    cwd: root,
    env: embeddedEnv(dataDir, {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SMTP_URL: smtp.url,
      REMINDER_WORKING_HOURS: 'always',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  services.push(child);
  return { child, port, output: capturedOutput(child) };
}

interface Readiness {
  status: string;
  details: Record<string, { status: string; kind?: string }>;
}

async function ready(service: Started): Promise<{ status: number; body: Readiness }> {
  const started = Date.now();
  while (Date.now() - started < READY_TIMEOUT_MS) {
    if (service.child.exitCode !== null) throw new Error(`exited early:\n${service.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      if (response.status === 200) {
        return { status: 200, body: (await response.json()) as Readiness };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready within ${READY_TIMEOUT_MS} ms:\n${service.output()}`);
}

async function stop(service: Started): Promise<number | null> {
  if (service.child.exitCode !== null) return service.child.exitCode;
  const exited = once(service.child, 'exit');
  service.child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

/** Runs the built CLI on the embedded database of `dataDir`, as `npm run cli` would. */
function runCli(dataDir: string, args: string[], input = '') {
  return runToEnd(CLI, args, {
    cwd: root,
    env: embeddedEnv(dataDir, { LOG_LEVEL: 'silent', LC_ALL: 'en_US.UTF-8' }),
    input,
  });
}

const createUser = (dataDir: string, email: string) =>
  runCli(dataDir, ['user:create', '--email', email, '--role', 'itu_pm'], `${PASSWORD}\n`);

const PASSWORD = 'a long password for the embedded test';

async function signIn(service: Started, email: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${service.port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  return response.status;
}

async function bearer(service: Started, email: string): Promise<Record<string, string>> {
  const login = await fetch(`http://127.0.0.1:${service.port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
}

/** Asks for a report over the API and waits for its compile job, a queued job, to finish it. */
async function compileReport(service: Started, email: string): Promise<string> {
  const base = `http://127.0.0.1:${service.port}/api/v1`;
  const headers = await bearer(service, email);
  const requested = await fetch(`${base}/reports`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ scope: {}, formats: ['json'] }),
  });
  expect(requested.status).toBe(202);
  const { id } = (await requested.json()) as { id: string };
  return waitFor(
    `report ${id} to be compiled`,
    async () => {
      const report = (await (await fetch(`${base}/reports/${id}`, { headers })).json()) as {
        status: string;
      };
      return ['completed', 'failed'].includes(report.status) && report.status;
    },
    60_000,
  );
}

/**
 * Runs a reminder scan over the API (a queued job that writes the outbox, whose relay queues a
 * delivery job per e-mail) and waits for the first reminder to reach the SMTP sink.
 */
async function remindByEmail(service: Started, email: string): Promise<ReceivedMail> {
  const scan = await fetch(`http://127.0.0.1:${service.port}/api/v1/reminders/scan`, {
    method: 'POST',
    headers: { authorization: (await bearer(service, email)).authorization },
  });
  expect(scan.status).toBe(202);
  return waitFor('a reminder e-mail in the SMTP sink', async () => smtp.received[0], 60_000);
}

/** The keys under the service's queue prefix in the local Redis. */
async function redisKeysOfPrefix(): Promise<string[]> {
  const redis = new Redis(redisUrl);
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

/** The pids of the PostgreSQL servers (postmasters) running on a folder under `folder`. */
async function postmastersUnder(folder: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      const dashD = args.indexOf('-D');
      if (!zombie && args[0].endsWith('/postgres') && args[dashD + 1]?.startsWith(folder)) {
        pids.push(Number(entry));
      }
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The local addresses of the sockets listening on `port` (IPv4 and IPv6), from /proc/net. */
async function listeningAddresses(port: number): Promise<string[]> {
  const addresses: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(file, 'utf8')).trim().split('\n').slice(1);
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, hexPort] = local.split(':');
      if (state === '0A' && parseInt(hexPort, 16) === port) addresses.push(address);
    }
  }
  return addresses;
}

const lockFile = (dataDir: string) => join(dataDir, 'postgres', 'postmaster.pid');
const postgresPort = async (dataDir: string) =>
  Number((await readFile(lockFile(dataDir), 'utf8')).split('\n')[3]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cirt-embedded-'));
  // Run as root, PostgreSQL runs as the user postgres, who has to get through to DATA_DIR.
  await chmod(root, 0o711);
  await smtp.start();
});

afterAll(async () => {
  for (const child of services) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of await postmastersUnder(root)) process.kill(pid, 'SIGINT');
  await waitFor(
    'the PostgreSQL servers to stop',
    async () => (await postmastersUnder(root)).length === 0,
    30_000,
  );
  await rm(root, { recursive: true, force: true });
  await smtp.stop();
}, 60_000);

describe('the embedded database (DATABASE_URL unset)', () => {
  it('should start its own PostgreSQL on 127.0.0.1, serve the CLI whether the service runs or not, and keep the data after SIGTERM', async () => {
    const dataDir = join(root, 'restart');
    const first = await startService(dataDir);
    const { body } = await ready(first);
    expect(body).toMatchObject({
      status: 'ok',
      details: {
        database: { status: 'up', kind: 'embedded' },
        queues: { status: 'up', backend: 'postgres' },
      },
    });

    expect((await stat(join(dataDir, 'postgres-password'))).mode & 0o777).toBe(0o600);
    const port = await postgresPort(dataDir);
    const addresses = await listeningAddresses(port);
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((address) => address === '0100007F')).toBe(true); // 127.0.0.1

    // While the service runs, the CLI uses its PostgreSQL.
    const whileRunning = await createUser(dataDir, 'running@example.org');
    expect(whileRunning).toMatchObject({ code: 0 });
    expect(await signIn(first, 'running@example.org')).toBe(200);

    // Queued work runs with the queues in the embedded database, and none of it in Redis: a
    // report's compile, and a reminder scan of the demo portfolio down to its e-mails.
    expect(await compileReport(first, 'running@example.org')).toBe('completed');
    const demo = await runCli(dataDir, ['demo:load', '--countries', '6']);
    expect(demo).toMatchObject({ code: 0 });
    expect(demo.output).toContain('Loaded the demo');
    const reminder = await remindByEmail(first, 'running@example.org');
    expect(reminder.subject).toBeTruthy();
    expect(await redisKeysOfPrefix()).toEqual([]);

    // One service per DATA_DIR: a second one refuses and leaves the first alone.
    const second = await startService(dataDir);
    const [code] = await once(second.child, 'exit');
    expect(code).not.toBe(0);
    expect(second.output()).toContain('in use by process');
    expect((await ready(first)).status).toBe(200);

    expect(await stop(first)).toBe(0);
    expect(await postmastersUnder(dataDir)).toEqual([]);
    await expect(stat(lockFile(dataDir))).rejects.toThrow(); // a clean shutdown removes it

    // While it is stopped, the CLI starts PostgreSQL for the command and stops it after.
    const whileStopped = await createUser(dataDir, 'stopped@example.org');
    expect(whileStopped).toMatchObject({ code: 0 });
    expect(whileStopped.output).toContain('Created itu_pm stopped@example.org');
    expect(await postmastersUnder(dataDir)).toEqual([]);

    const again = await startService(dataDir);
    expect((await ready(again)).body.details.database.kind).toBe('embedded');
    expect(again.output()).not.toContain('Initialising');
    expect(await signIn(again, 'running@example.org')).toBe(200);
    expect(await signIn(again, 'stopped@example.org')).toBe(200);
    expect(await stop(again)).toBe(0);
    expect(await postmastersUnder(dataDir)).toEqual([]);
  }, 240_000);

  it('should start again after kill -9, stopping the PostgreSQL left running or clearing a stale lock file', async () => {
    const dataDir = join(root, 'killed');
    const first = await startService(dataDir);
    await ready(first);
    expect(await createUser(dataDir, 'kept@example.org')).toMatchObject({ code: 0 });

    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await exited;
    // PostgreSQL is a process of its own: it outlives the service.
    const [leftover] = await postmastersUnder(dataDir);
    expect(leftover).toBeGreaterThan(0);

    const second = await startService(dataDir);
    await ready(second);
    expect(second.output()).toContain('left running by a previous process');
    expect(await postmastersUnder(dataDir)).not.toContain(leftover);
    expect(await signIn(second, 'kept@example.org')).toBe(200);

    // A lock file left behind whose pid is now another live process (of PostgreSQL's own user,
    // which PostgreSQL would take for a server still running).
    const killed = once(second.child, 'exit');
    second.child.kill('SIGKILL');
    await killed;
    const [running] = await postmastersUnder(dataDir);
    process.kill(running, 'SIGINT');
    await waitFor('PostgreSQL to stop', async () => (await postmastersUnder(dataDir)).length === 0);
    const postgresUser =
      process.getuid?.() === 0
        ? {
            uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
            gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
          }
        : {};
    const impostor = spawn('sleep', ['120'], { ...postgresUser, stdio: 'ignore' });
    services.push(impostor);
    try {
      await writeFile(
        lockFile(dataDir),
        `${impostor.pid}\n${join(dataDir, 'postgres')}\n1700000000\n5432\n\n127.0.0.1\n  0  0\nready   \n`,
      );
      if (postgresUser.uid !== undefined) {
        execFileSync('chown', ['postgres:postgres', lockFile(dataDir)]);
      }
      const third = await startService(dataDir);
      await ready(third);
      expect(third.output()).toContain('Removing the stale lock file');
      expect(await signIn(third, 'kept@example.org')).toBe(200);
      expect(await stop(third)).toBe(0);
    } finally {
      impostor.kill('SIGKILL');
    }
  }, 240_000);
});
