import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { startArgs } from '../../test/helpers/child';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The PostgreSQL server of a benchmark: BENCH_DATABASE_URL, else DATABASE_URL, else an embedded
 * one in a temporary folder. Each benchmark gets a database of its own on it.
 */
export async function benchServer(): Promise<{
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}> {
  const external = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL;
  if (external) return { adminUrl: external, embedded: false, stop: async () => {} };
  const dir = await mkdtemp(path.join(tmpdir(), 'wa-bench-pg-'));
  const server: EmbeddedDatabase = await startEmbeddedPostgres(dir, createLogger('warn'));
  return {
    adminUrl: server.url,
    embedded: true,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists ${name} with (force)`);
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists ${name} with (force)`);
  await sql.end();
}

export type ServiceProcess = {
  child: ChildProcess;
  baseUrl: string;
  token: string;
  peakRssMb(): number;
  stop(): Promise<void>;
};

/** The service as `npm start` runs it, in its own process so that its memory is its own. */
export async function startServiceProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  /** How to tell the process is up; by default its /readyz (a worker has no HTTP server). */
  ready?: () => Promise<boolean>,
): Promise<ServiceProcess> {
  const port = await freePort();
  const token = 'bench-api-token-0123456789';
  const child = spawn(process.execPath, startArgs(), {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: databaseUrl,
      API_TOKEN: token,
      WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      MAX_UPLOAD_BYTES: String(1024 * 1024 * 1024),
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if (ready ? await ready() : (await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the service did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    baseUrl,
    token,
    // VmHWM is the kernel's record of the process's peak resident set.
    peakRssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function hasPsql(): boolean {
  return spawnSync('psql', ['--version']).status === 0;
}

/** `count` runs of `run`, one after the other (never at once: they would share the cores). */
export async function runsInTurn(count: number, run: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(await run());
  return values;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export type Figure = { what: string; value: string; goal: string; baseline?: string; ok: boolean };

export function printTable(figures: Figure[]): void {
  const rows = [
    ['figure', 'measured', 'goal', 'baseline (same run)', ''],
    ...figures.map((f) => [f.what, f.value, f.goal, f.baseline ?? '', f.ok ? 'ok' : 'MISSED']),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}
