import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/db/embedded';
import { childEnvironment, spawnService } from './helpers/child';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { FakeProvider } from './helpers/fake-provider';
import { TEST_API_TOKEN, waitFor } from './helpers/service';

let database: TestDatabase;
let provider: FakeProvider;
beforeAll(async () => {
  database = await createTestDatabase();
  provider = await FakeProvider.start();
  provider.latencyMs = 40;
});
afterAll(async () => {
  await provider.stop();
  await database.drop();
});

async function start() {
  const port = await freePort();
  const service = spawnService({
    ...childEnvironment({ port, databaseUrl: database.url, provider }),
    SEND_RATE_PER_SECOND: '200',
    WORKER_TIMEOUT_SECONDS: '3',
    LOG_LEVEL: 'warn',
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.ok, {
    timeoutMs: 30_000,
    what: 'readyz',
  });
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_API_TOKEN}`, 'content-type': type },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  return { service, call };
}

describe('a worker killed in the middle of a run', () => {
  it('is restarted without a duplicate send, leaving at most the sends in flight unknown', async () => {
    const first = await start();
    const list = await first.call('POST', '/v1/lists', { name: 'crash' });
    const csv = [
      'phone,first_name',
      ...Array.from({ length: 400 }, (_, i) => `+4917${String(10000000 + i)},N${i}`),
    ].join('\n');
    const imported = await first.call('POST', `/v1/lists/${list.id}/imports`, csv, 'text/csv');
    await waitFor(
      async () => (await first.call('GET', `/v1/imports/${imported.id}`)).status === 'completed',
      { what: 'import' },
    );
    const template = await first.call('POST', '/v1/templates', {
      name: 'promo',
      namespace: 'ns',
      language: { code: 'en' },
      parameters: ['{{first_name}}'],
    });
    const campaign = await first.call('POST', '/v1/campaigns', {
      name: 'crash',
      templateId: template.id,
      listIds: [list.id],
    });
    await first.call('POST', `/v1/campaigns/${campaign.id}/start`);

    await waitFor(() => provider.sends().length >= 100, { what: 'a hundred sends' });
    first.service.child.kill('SIGKILL');
    await first.service.exited;
    const atKill = provider.sends().length;
    expect(atKill).toBeLessThan(400);

    const second = await start();
    try {
      await waitFor(
        async () =>
          (await second.call('GET', `/v1/campaigns/${campaign.id}`)).status === 'completed',
        {
          timeoutMs: 40_000,
          what: 'the run to complete after the restart',
        },
      );
      const phones = provider.sends().map((s) => (s.body as { phone: string }).phone);
      expect(new Set(phones).size).toBe(phones.length); // nobody got it twice
      const sql = (await import('postgres')).default(database.url, { max: 1 });
      const rows = await sql<{ status: string; count: number }[]>`
        select status, count(*)::int as count from messages where campaign_id = ${String(campaign.id)} group by status`;
      await sql.end();
      const counts = Object.fromEntries(rows.map((r) => [r.status, r.count])) as Record<
        string,
        number
      >;
      expect((counts.sent ?? 0) + (counts.unknown ?? 0)).toBe(400);
      // unknown: the sends in flight at the kill (they reached the provider, or were leaving),
      // plus at most the few rows claimed just ahead of their slot (20 ms at 200/s)
      const sqlAgain = (await import('postgres')).default(database.url, { max: 1 });
      const unknownPhones = await sqlAgain<{ phone: string }[]>`
        select phone from messages where campaign_id = ${String(campaign.id)} and status = 'unknown'`;
      await sqlAgain.end();
      const reached = new Set(phones.map((p) => `+${p}`));
      const neverLeft = unknownPhones.filter((row) => !reached.has(row.phone)).length;
      expect(neverLeft).toBeLessThanOrEqual(15);
      expect(counts.unknown ?? 0).toBeLessThanOrEqual(60);
      // every row stored as sent reached the provider; an unknown one may or may not have
      expect(phones.length).toBeGreaterThanOrEqual(counts.sent ?? 0);
      expect(phones.length).toBeLessThanOrEqual((counts.sent ?? 0) + (counts.unknown ?? 0));
    } finally {
      second.service.child.kill('SIGTERM');
      await second.service.exited;
    }
  }, 90_000);
});
