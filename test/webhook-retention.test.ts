import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneWebhookEvents } from '../src/webhooks/prune-events';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let database: TestDatabase;
let sql: postgres.Sql;
beforeAll(async () => {
  database = await createTestDatabase();
  sql = postgres(database.url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await sql.end();
  await database.drop();
});

describe('webhook events retention', () => {
  it('deletes applied events older than the retention, keeps failed, unapplied and recent ones', async () => {
    const event = (label: string, ageDays: number, processed: boolean, error: string | null) => sql`
      insert into webhook_events (body, received_at, processed_at, error)
      values (${sql.json({ label })}, now() - make_interval(days => ${ageDays}),
        ${processed ? sql`now()` : null}, ${error})`;
    await event('old applied', 9, true, null);
    await event('old failed', 9, true, 'no such message');
    await event('old unapplied', 8, false, null);
    await event('old applied too', 8, true, null);
    await event('recent applied', 6, true, null);
    await event('new', 0, true, null);

    expect(await pruneWebhookEvents(sql, 7)).toBe(2);
    const left = await sql<{ label: string }[]>`
      select body->>'label' as label from webhook_events order by id`;
    expect(left.map((row) => row.label)).toEqual([
      'old failed',
      'old unapplied',
      'recent applied',
      'new',
    ]);
    expect(await pruneWebhookEvents(sql, 7)).toBe(0);
    // with nothing recent, the boundary is the end of the table
    expect(await pruneWebhookEvents(sql, 0)).toBe(2);
    // batch after batch, until none is left
    await event('old applied again', 9, true, null);
    await event('old applied once more', 9, true, null);
    await event('and again', 8, true, null);
    expect(await pruneWebhookEvents(sql, 7, 1)).toBe(3);
  });
});
