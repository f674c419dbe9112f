import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded';
import { childEnvironment, type ServiceProcess, spawnService } from './helpers/child';
import { waitFor } from './helpers/service';

/**
 * The README's tour ("A first campaign, step by step"), run as a new user runs it: the default
 * start (embedded PostgreSQL, sandbox provider, generated credentials in data/), then every `sh`
 * block of the section in order, in one bash, from the folder that holds data/. The only change
 * made to the commands is the port: the service listens on a free one instead of 3000.
 */
const README = fileURLToPath(new URL('../README.md', import.meta.url));
const SECTION = '## A first campaign, step by step';

let folder: string;
let service: ServiceProcess;
let port: number;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'wa-tour-'));
  // mkdtemp makes it private; run as root, the embedded PostgreSQL's own user must reach data/
  await chmod(folder, 0o755);
  port = await freePort();
  service = spawnService({
    ...childEnvironment({ port, testSecrets: false }),
    DATA_DIR: path.join(folder, 'data'),
    LOG_LEVEL: 'warn',
  });
  const ready = waitFor(
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok,
    { timeoutMs: 90_000, what: 'the default start to be ready' },
  );
  const died = service.exited.then((code) => {
    throw new Error(`the service exited (${code})`);
  });
  await Promise.race([ready, died]).catch((error: unknown) => {
    throw new Error(`${String(error)}; the service printed:\n${service.output()}`);
  });
}, 120_000);

afterAll(async () => {
  service?.child.kill('SIGTERM');
  await service?.exited;
  await rm(folder, { recursive: true, force: true });
});

async function tourCommands(): Promise<string> {
  const readme = await readFile(README, 'utf8');
  const start = readme.indexOf(SECTION);
  expect(start, `README.md has a section "${SECTION}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  expect(blocks.length).toBeGreaterThan(5);
  return blocks.join('\n').replaceAll('localhost:3000', `localhost:${port}`);
}

function bash(script: string, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      out += String(chunk);
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe("the README's tour", () => {
  it('runs as written against the default start, from a CSV to replies and an export', async () => {
    const { code, out } = await bash(await tourCommands(), folder);
    expect(code, out).toBe(0);
    // step 2: four contacts in, the bad number refused with its line
    expect(out).toContain('"reason": "invalid phone number: not a phone number"');
    expect(out).toMatch(/"line": 6/);
    // step 4: the preview renders the fallback for the contact without a city
    expect(out).toMatch(/"Clara",\s*"your city"/);
    // step 5: the run completed with every recipient sent
    expect(out).toMatch(/"audience": 4,\s*"pending": 0,\s*"sent": 4/);
    // step 7: the reply is readable, in the list and in the thread with the template sent
    expect(out).toMatch(/"contactName": "Anna",\s*"lastInboundText": "Yes please"/);
    expect(out).toMatch(/"templateName": "spring_sale",\s*"parameters": \[\s*"Anna",\s*"Berlin"/);
    expect(out).toMatch(/"replied": 1/);
    const csv = await readFile(path.join(folder, 'messages.csv'), 'utf8');
    const [header = '', ...rows] = csv.trim().split('\n');
    const kindColumn = header.split(',').indexOf('kind');
    expect(kindColumn, header).toBeGreaterThanOrEqual(0);
    const kinds = rows.map((row) => row.split(',')[kindColumn]);
    // the four templates, and the follow-up that Anna's reply queued
    expect(kinds.sort()).toEqual(['followup', 'template', 'template', 'template', 'template']);
  }, 120_000);
});
