import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { api, startCampaign } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startTestService, type TestService, waitFor } from './helpers/service';

/**
 * The state of a running service belongs to that service: two services in one process (as
 * here, and in every test file) share nothing but the process.
 */
let services: TestService[] = [];
let databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await Promise.all(databases.map((database) => database.drop()));
  services = [];
  databases = [];
});

async function start(options: Parameters<typeof startTestService>[0] = {}) {
  const service = await startTestService(options);
  services.push(service);
  return service;
}

/** A database holding one applied webhook event older than any retention. */
async function databaseWithOldEvent(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  await sql`insert into webhook_events (body, received_at, processed_at)
    values (${sql.json({ old: true })}, now() - interval '30 days', now())`;
  await sql.end();
  return database;
}

const events = (t: TestService) =>
  t.service.ctx.database.sql<{ n: number }[]>`select count(*)::int as n from webhook_events`;

describe('state of a running service', () => {
  it("does not hold one service's sends for another's 401", async () => {
    const a = await start({ env: { SEND_RATE_PER_SECOND: '50' } });
    const b = await start({ env: { SEND_RATE_PER_SECOND: '50' } });
    a.provider.respondWith(() => ({ status: 401, body: { error: 'Wrong token.' } }));
    await startCampaign(a, 3);
    const held = await a.service.ctx.senders.defaultId();
    await waitFor(
      async () => (await api(a).get(`/v1/senders/${held}`)).body.status === 'auth_failed',
      { what: "the 401 to hold A's sender" },
    );
    expect(a.provider.sends().length).toBeGreaterThan(0);
    // A's sender is held; B's default sender is another one, in another database.
    const sending = await startCampaign(b, 3);
    // (a hold of B's sender would hold it for good: the default wait tells it on loaded cores)
    await waitFor(() => b.provider.sends().length === 3, {
      what: "B's sends, with A's account on hold",
    });
    expect((await api(b).get(`/v1/campaigns/${sending}`)).body.status).not.toBe('paused');
  }, 30_000);

  it('prunes old webhook events in each service from its start', async () => {
    const a = await start({ database: await databaseWithOldEvent() });
    await waitFor(async () => (await events(a))[0]?.n === 0, { what: "A's first pruning" });
    // A pruned a moment ago; B keeps its own time and prunes its database at once.
    const b = await start({ database: await databaseWithOldEvent() });
    // well before the minute between two prunings of one service
    await waitFor(async () => (await events(b))[0]?.n === 0, {
      timeoutMs: 5000,
      what: "B's first pruning",
    });
  }, 30_000);
});
