import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../src/queue/job';
import { startTestService, type TestService, waitFor } from './helpers/service';

const events: string[] = [];
const slowJob = defineJob({
  name: 'test-slow',
  payload: z.object({ label: z.string(), ms: z.number() }),
  queue: { retryLimit: 0, expireInSeconds: 60 },
  handler: async ({ label, ms }) => {
    events.push(`start ${label}`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    events.push(`end ${label}`);
  },
});

let t: TestService | undefined;
afterAll(async () => {
  await t?.provider.stop().catch(() => {});
  await t?.database.drop();
});

describe('the job queue', () => {
  it('creates each queue with its options, rejects a bad payload, and finishes in-flight work on shutdown', async () => {
    t = await startTestService({ jobs: [slowJob] });
    const { boss } = t.service.ctx;
    const queue = await boss.getQueue('test-slow');
    expect(queue).toMatchObject({ retryLimit: 0, expireInSeconds: 60 });

    const bad = await boss.send('test-slow', { label: 42 });
    expect(bad).toBeTruthy();
    await waitFor(
      async () => (await boss.getJobById('test-slow', bad as string))?.state === 'failed',
      {
        what: 'the bad payload to fail',
      },
    );
    expect(events).toEqual([]);

    const id = await boss.send('test-slow', { label: 'a', ms: 800 });
    await waitFor(() => events.includes('start a'), { what: 'the job to start' });
    await t.service.stop();
    expect(events).toEqual(['start a', 'end a']);

    // the queue is closed: read the job's state with a fresh connection
    const { openDatabase } = await import('../src/db/client');
    const { createLogger } = await import('../src/logger');
    const database = openDatabase(t.database.url, createLogger('silent'), { max: 1 });
    const [row] = await database.sql<
      { state: string }[]
    >`select state from pgboss.job where id = ${id as string}`;
    await database.close();
    expect(row?.state).toBe('completed');
  });
});
