import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database';
import { type Database, openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { blockSender, ensureBuckets, senderBucket, takeSlots } from './pacing';

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

/** Reserves slots as fast as granted for `ms`, from `takers` concurrent loops; answers the slot times. */
async function drain(keys: string[], ms: number, takers = 1): Promise<number[]> {
  const slots: number[] = [];
  const end = Date.now() + ms;
  await Promise.all(
    Array.from({ length: takers }, async () => {
      while (Date.now() < end) {
        const grant = await takeSlots(database.sql, keys, 10);
        const at = Date.now();
        for (let i = 0; i < grant.granted; i++)
          slots.push(at + grant.delayMs + i * grant.intervalMs);
        if (grant.granted === 0)
          await new Promise((resolve) =>
            setTimeout(resolve, Math.min(grant.waitMs, Math.max(1, end - Date.now()))),
          );
      }
    }),
  );
  return slots.sort((a, b) => a - b);
}

describe('pacing through PostgreSQL', () => {
  it('grants slots at the slowest rate, shared by concurrent takers, never closer than the grid', async () => {
    await ensureBuckets(database.db, [
      { key: 'account', ratePerSecond: 200 },
      { key: 'campaign:a', ratePerSecond: 50 },
    ]);
    const slots = await drain(['account', 'campaign:a'], 2000, 3);
    const inWindow = slots.filter((t) => t <= (slots[0] as number) + 2000);
    // 2 s at 50/s: never more than the grid allows (give or take the clock reading), and slots
    // 20 ms apart. A taker starved by a busy machine asks late and its slots are lost, not made
    // up in a burst: a few gaps are longer, the median one is the grid's.
    expect(inWindow.length).toBeLessThanOrEqual(102);
    const gaps = slots.slice(1).map((t, i) => t - (slots[i] as number));
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(19);
    expect(median).toBeLessThanOrEqual(21);
    expect(inWindow.length).toBeGreaterThanOrEqual(50);
    const firstSecond = slots.filter((t) => t - (slots[0] as number) < 1000).length;
    expect(firstSecond).toBeLessThanOrEqual(52);
  });

  it('blocks one sender after a 429, not another', async () => {
    const [held, other] = [senderBucket('held'), senderBucket('other')];
    await ensureBuckets(database.db, [
      { key: held, ratePerSecond: 1000 },
      { key: other, ratePerSecond: 1000 },
    ]);
    const blockedAt = Date.now();
    await blockSender(database.db, 'held', 600);
    const blocked = await takeSlots(database.sql, [held], 10);
    const elapsed = Date.now() - blockedAt;
    expect(blocked.granted).toBe(0);
    // ask again when the 10 slots fit in the 250 ms horizon: 600 - 250 + 9 ms after the block,
    // less the time the two queries took (a busy machine may take a good part of it)
    expect(blocked.waitMs).toBeGreaterThanOrEqual(359 - elapsed);
    expect(blocked.waitMs).toBeLessThanOrEqual(360);
    expect((await takeSlots(database.sql, [other], 10)).granted).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 650));
    const after = await takeSlots(database.sql, [held], 100);
    expect(after.granted).toBe(100);
    expect(after.intervalMs).toBeCloseTo(1, 5);
  });
});
