import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded';
import { childEnvironment } from './helpers/child';
import { TEST_API_TOKEN, waitFor } from './helpers/service';

const root = fileURLToPath(new URL('..', import.meta.url));
const SHUTDOWN_TIMEOUT_SECONDS = 10;

/** Is any process of this pid (or, negative, of this process group) still there? */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type NpmStart = {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
  /** The embedded PostgreSQL's postmaster, read from its pid file once the service is ready. */
  postgresPid: number;
};

/**
 * `npm start` as a user runs it in a terminal: npm leads a process group of its own (the
 * terminal's foreground group), with the sandbox provider and an embedded PostgreSQL.
 */
async function npmStart(dataDir: string): Promise<NpmStart> {
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: {
      ...childEnvironment({ port }),
      DATA_DIR: dataDir,
      SHUTDOWN_TIMEOUT_SECONDS: String(SHUTDOWN_TIMEOUT_SECONDS),
      SEND_RATE_PER_SECOND: '50',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk) => {
      output += String(chunk);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      return (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: 'npm start to be ready' },
  );
  const pidFile = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  return { child, base, output: () => output, exited, postgresPid: Number(pidFile.split('\n')[0]) };
}

/** A campaign of the sandbox provider that is still sending when the signal comes. */
async function sendSomething(base: string): Promise<void> {
  const call = async (method: string, route: string, body: unknown, type = 'application/json') => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, string>;
  };
  const list = await call('POST', '/v1/lists', { name: 'stopping' });
  const csv = ['phone', ...Array.from({ length: 2000 }, (_, i) => `+4917${20_000_000 + i}`)];
  const imported = await call('POST', `/v1/lists/${list.id}/imports`, csv.join('\n'), 'text/csv');
  await waitFor(
    async () =>
      (
        await fetch(`${base}/v1/imports/${imported.id}`, {
          headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
        }).then((r) => r.json() as Promise<{ status: string }>)
      ).status === 'completed',
    { timeoutMs: 30_000, intervalMs: 100, what: 'the import' },
  );
  const template = await call('POST', '/v1/templates', {
    name: 'stopping',
    namespace: 'ns',
    language: { code: 'en' },
    parameters: [],
  });
  const campaign = await call('POST', '/v1/campaigns', {
    name: 'stopping',
    templateId: template.id,
    listIds: [list.id],
  });
  await call('POST', `/v1/campaigns/${campaign.id}/start`, {});
  const stats = async () =>
    fetch(`${base}/v1/campaigns/${campaign.id}/stats`, {
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    }).then((r) => r.json() as Promise<{ sent: number }>);
  await waitFor(async () => (await stats()).sent >= 20, {
    timeoutMs: 30_000,
    intervalMs: 100,
    what: 'sending',
  });
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wa-stopping-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('stopping `npm start`', () => {
  const cases = [
    { what: 'SIGTERM to the npm process', signal: 'SIGTERM', group: false },
    { what: 'Ctrl-C in its terminal (SIGINT to the process group)', signal: 'SIGINT', group: true },
    { what: 'SIGTERM to the process group', signal: 'SIGTERM', group: true },
    { what: 'SIGINT to the npm process', signal: 'SIGINT', group: false },
  ] as const;
  for (const { what, signal, group } of cases) {
    it(`${what} while it sends: every process ends in time, PostgreSQL last, exit 0`, async () => {
      const service = await npmStart(dataDir);
      const npmPid = service.child.pid as number;
      try {
        await sendSomething(service.base);
        const signalledAt = Date.now();
        process.kill(group ? -npmPid : npmPid, signal);
        const code = await Promise.race([
          service.exited,
          new Promise<'late'>((resolve) =>
            setTimeout(() => resolve('late'), SHUTDOWN_TIMEOUT_SECONDS * 1000).unref(),
          ),
        ]);
        await waitFor(() => !alive(-npmPid) && !alive(service.postgresPid), {
          timeoutMs: Math.max(0, signalledAt + SHUTDOWN_TIMEOUT_SECONDS * 1000 - Date.now()),
          intervalMs: 50,
          what: `every process of npm start to end\n${service.output().slice(-3000)}`,
        });
        expect(code, service.output().slice(-3000)).toBe(0);
        const lines = service
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { level: number; msg: string; time: number });
        const after = lines.filter((line) => line.time >= signalledAt);
        // Nothing went wrong on the way out: no error, no lost database, no uncaught error.
        expect(after.filter((line) => line.level >= 50)).toEqual([]);
        expect(service.output()).not.toMatch(/ECONNREFUSED|Uncaught|unhandled/i);
        // The database went last: nothing was logged after it stopped but the final line.
        const messages = after.map((line) => line.msg);
        expect(messages).toContain('queue stopped');
        const postgresStopped = after.find((line) => line.msg === 'embedded PostgreSQL stopped');
        expect(postgresStopped).toBeDefined();
        const later = after.filter((line) => line.time > (postgresStopped?.time ?? 0));
        expect(later.map((line) => line.msg)).toEqual(later.length ? ['stopped'] : []);
      } finally {
        for (const pid of [-npmPid, service.postgresPid]) {
          if (alive(pid)) process.kill(pid, 'SIGKILL');
        }
      }
    }, 120_000);
  }
});
