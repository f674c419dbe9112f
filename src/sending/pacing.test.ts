import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { type Database, openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { blockAccount, ensureBuckets, returnTokens, takeTokens } from './pacing';

let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = openDatabase(testDb.url, createLogger('silent'), { max: 4 });
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

/** Takes tokens as fast as granted for `ms`, from `takers` concurrent loops; answers the grant times. */
async function drain(keys: string[], ms: number, takers = 1): Promise<number[]> {
  const times: number[] = [];
  const end = Date.now() + ms;
  await Promise.all(
    Array.from({ length: takers }, async () => {
      while (Date.now() < end) {
        const grant = await takeTokens(database.sql, keys, 10);
        for (let i = 0; i < grant.granted; i++) times.push(Date.now());
        if (grant.granted === 0)
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(grant.waitMs, end - Date.now())),
          );
      }
    }),
  );
  return times;
}

describe('pacing through PostgreSQL', () => {
  it('grants the rate of the slowest bucket, shared by concurrent takers, with no burst', async () => {
    await ensureBuckets(database.sql, [
      { key: 'account', ratePerSecond: 200 },
      { key: 'campaign:a', ratePerSecond: 50 },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the buckets fill up
    const times = await drain(['account', 'campaign:a'], 2000, 3);
    // 2 s at 50/s, plus at most one bucketful lent ahead
    expect(times.length).toBeGreaterThanOrEqual(95);
    expect(times.length).toBeLessThanOrEqual(104);
    const firstSecond = times.filter((t) => t - (times[0] as number) < 1000).length;
    expect(firstSecond).toBeLessThanOrEqual(53);
  });

  it('blocks the account after a 429 and takes tokens back', async () => {
    await ensureBuckets(database.sql, [{ key: 'account', ratePerSecond: 1000 }]);
    await blockAccount(database.sql, 300);
    const blocked = await takeTokens(database.sql, ['account'], 10);
    expect(blocked.granted).toBe(0);
    expect(blocked.waitMs).toBeGreaterThan(200);
    expect(blocked.waitMs).toBeLessThanOrEqual(300);
    await new Promise((resolve) => setTimeout(resolve, blocked.waitMs + 60));
    const after = await takeTokens(database.sql, ['account'], 100);
    expect(after.granted).toBeGreaterThan(0);
    expect(after.granted).toBeLessThanOrEqual(50); // capacity: a twentieth of a second
    await returnTokens(database.sql, ['account'], after.granted);
    const [bucket] = await database.sql<
      { tokens: number; capacity: number }[]
    >`select tokens, capacity from rate_buckets where key = 'account'`;
    expect(bucket?.tokens).toBeLessThanOrEqual(bucket?.capacity ?? 0);
  });
});
