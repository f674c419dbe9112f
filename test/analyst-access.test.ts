import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ANALYST_VIEWS } from '../src/db/analyst-role';
import { freePort } from '../src/db/embedded';
import { childEnvironment, type ServiceProcess, spawnService } from './helpers/child';
import { waitFor } from './helpers/service';

/**
 * The analysts' way into the embedded database, through the real service processes: a fixed
 * port (EMBEDDED_PG_PORT), the URL in the log, and a read-only `analyst` role that reads the
 * four analyst views and nothing else, kept in step at every start.
 */
const VIEWS = ['message_facts', 'campaign_stats', 'run_stats', 'conversation_messages'];
const README = fileURLToPath(new URL('../README.md', import.meta.url));

let folder: string;
let dataDir: string;
let pgPort: number;
/** Services still running: a failed test must not leave one (and its PostgreSQL) behind. */
const running = new Set<ServiceProcess>();

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'wa-analyst-'));
  // mkdtemp makes it private; run as root, the embedded PostgreSQL's own user must reach data/
  await chmod(folder, 0o755);
  dataDir = path.join(folder, 'data');
  pgPort = await freePort();
});

afterEach(async () => {
  for (const service of running) await stop(service);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function start(): Promise<{ service: ServiceProcess; port: number }> {
  const port = await freePort();
  const service = spawnService({
    ...childEnvironment({ port, testSecrets: false }),
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
  });
  running.add(service);
  const ready = waitFor(
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok,
    { timeoutMs: 90_000, what: 'the embedded start to be ready' },
  );
  const died = service.exited.then((code) => {
    throw new Error(`the service exited (${code})`);
  });
  await Promise.race([ready, died]).catch((error: unknown) => {
    throw new Error(`${String(error)}; the service printed:\n${service.output()}`);
  });
  return { service, port };
}

async function stop(service: ServiceProcess): Promise<void> {
  running.delete(service);
  service.child.kill('SIGTERM');
  expect(await service.exited, service.output()).toBe(0);
}

function jsonLogLines(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('{'));
}

/** The error code of a statement that must fail, or 'succeeded'. */
async function failure(query: Promise<unknown>): Promise<string> {
  return query.then(
    () => 'succeeded',
    (error: { code?: string }) => error.code ?? String(error),
  );
}

const PERMISSION_DENIED = '42501';
const NOT_UPDATABLE = '55000';

describe('the analyst role on the embedded database', () => {
  it('reads the views only, with the printed password, on a fixed port, across a restart', async () => {
    const url = `postgres://analyst@127.0.0.1:${pgPort}/scheduler`;
    const first = await start();
    const password = (await readFile(path.join(dataDir, 'analyst-password'), 'utf8')).trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    const output = first.service.output();
    // printed once on the terminal, never in the JSON log; the URL is logged without it
    expect(output).toContain(password);
    expect(jsonLogLines(output).filter((line) => line.includes(password))).toEqual([]);
    expect(jsonLogLines(output).some((line) => line.includes(`"url":"${url}"`))).toBe(true);

    const analyst = postgres(url, { password, max: 1, onnotice: () => {} });
    try {
      for (const view of VIEWS) {
        expect(await failure(analyst.unsafe(`select * from ${view} limit 1`)), view).toBe(
          'succeeded',
        );
      }
      for (const statement of [
        'select * from messages limit 1',
        'select * from contacts limit 1',
        'select * from pgboss.job limit 1',
        'select * from drizzle.__drizzle_migrations limit 1',
        "insert into lists (name) values ('x')",
        "update campaigns set name = 'x'",
        'delete from contacts',
        'create table mine (id int)',
        'create temp table mine (id int)',
      ]) {
        expect(await failure(analyst.unsafe(statement)), statement).toBe(PERMISSION_DENIED);
      }
      // The views cannot be written by anyone (joins, unions, aggregates): PostgreSQL says so
      // before it checks the privilege.
      for (const statement of [
        "insert into message_facts (phone) values ('+4915112345678')",
        "update campaign_stats set name = 'x'",
        'delete from conversation_messages',
      ]) {
        expect([PERMISSION_DENIED, NOT_UPDATABLE], statement).toContain(
          await failure(analyst.unsafe(statement)),
        );
      }
    } finally {
      await analyst.end();
    }

    // The README's example, as written, but for the port this test chose.
    const readme = await readFile(README, 'utf8');
    const section = readme.slice(readme.indexOf('## Statistics and analyst views'));
    const example = [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
      .map((match) => match[1] ?? '')
      .find((block) => block.includes('psql'));
    expect(example, 'a psql example in the analyst section').toBeDefined();
    const psql = await bash((example ?? '').replaceAll(':5433/', `:${pgPort}/`), folder);
    expect(psql.code, psql.out).toBe(0);
    expect(psql.out).toContain('reply_rate');

    // Drift while stopped is undone at the next start: grants are kept in step, not added once.
    const admin = postgres(`postgres://postgres@127.0.0.1:${pgPort}/scheduler`, {
      password: (await readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim(),
      max: 1,
      onnotice: () => {},
    });
    // Every view of the schema is an analyst view: a migration that adds one must name it in
    // ANALYST_VIEWS (or this test, if it is not for analysts).
    const views = await admin<{ name: string }[]>`
      select viewname as name from pg_views where schemaname = 'public' order by viewname`;
    expect(views.map((view) => view.name)).toEqual([...ANALYST_VIEWS].sort());
    expect([...ANALYST_VIEWS].sort()).toEqual([...VIEWS].sort());
    await admin.unsafe(
      'revoke select on run_stats from analyst; grant select on contacts to analyst',
    );
    await admin.end();
    await stop(first.service);

    const second = await start();
    const again = second.service.output();
    expect(again).not.toContain(password);
    expect(jsonLogLines(again).some((line) => line.includes(`"url":"${url}"`))).toBe(true);
    const analystAgain = postgres(url, { password, max: 1, onnotice: () => {} });
    try {
      expect(await failure(analystAgain`select * from run_stats limit 1`)).toBe('succeeded');
      expect(await failure(analystAgain`select * from contacts limit 1`)).toBe(PERMISSION_DENIED);
    } finally {
      await analystAgain.end();
    }
    await stop(second.service);
  }, 240_000);

  it('refuses to start when EMBEDDED_PG_PORT is taken, and says so', async () => {
    const holder = await listenOn(pgPort);
    try {
      const service = spawnService({
        ...childEnvironment({ port: await freePort(), testSecrets: false }),
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(pgPort),
      });
      running.add(service);
      expect(await service.exited).toBe(1);
      running.delete(service);
      expect(service.output()).toContain(`EMBEDDED_PG_PORT=${pgPort}`);
      expect(service.output()).toContain(`127.0.0.1:${pgPort} is already in use`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 60_000);
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function bash(script: string, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-euo', 'pipefail', '-c', script], { cwd }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        out: stdout + stderr,
      }),
    );
  });
}
