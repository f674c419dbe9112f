import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type PgBoss from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '../src/db/embedded';
import { startBoss } from '../src/queue/boss';
import { defineJob } from '../src/queue/job';
import { captureLogger, waitFor } from './helpers/service';

const failingJob = defineJob({
  name: 'test-outage',
  payload: z.object({}),
  queue: { retryLimit: 0, expireInSeconds: 60 },
  handler: async () => {},
});

// A private PostgreSQL, stopped and started again on its port, never the machine's shared one.
let dataDir: string | undefined;
let server: EmbeddedDatabase | undefined;
let boss: PgBoss | undefined;
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the queue while the database is away', () => {
  it('stores the end of a job once the database is back, instead of dying of it', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-queue-outage-'));
    const port = await freePort();
    const { logger, lines } = captureLogger('warn');
    server = await startEmbeddedPostgres(dataDir, logger, { port });
    boss = await startBoss(server.url, logger, [failingJob], { supervise: false });
    let started = false;
    let release: (() => void) | undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await boss.work(failingJob.name, { pollingIntervalSeconds: 0.5 }, async () => {
      started = true;
      await released;
      throw new Error('the handler failed while the database was away');
    });
    const id = await boss.send(failingJob.name, {});
    await waitFor(() => started, { what: 'the job to start' });

    // pg-boss fails the job without awaiting it: with the database away, that rejection used
    // to go unhandled and end the process (vitest reports it as an error of this file).
    await server.stop();
    server = undefined;
    release?.();
    await waitFor(
      () => lines().some((line) => line.msg === 'queue: database unreachable; waiting for it'),
      { what: 'the queue to wait for the database' },
    );
    server = await startEmbeddedPostgres(dataDir, logger, { port });
    const job = await waitFor(
      async () => {
        const found = await boss?.getJobById(failingJob.name, id as string);
        return found?.state === 'failed' ? found : undefined;
      },
      { timeoutMs: 20_000, what: 'the job to be stored as failed' },
    );
    expect(job.output).toMatchObject({
      message: 'the handler failed while the database was away',
    });
  }, 60_000);
});
