import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { createList, importCsv } from './helpers/audience';
import { compactUntil, listCountersOffRecount } from './helpers/counters';
import { useTestService } from './helpers/service';

// A list's contactCount is read from counter rows kept by triggers on list_members (migration
// 0013), not counted from the members; these tests hold it to the members through imports that
// create, re-add and share contacts, a compaction and a deletion.

const t = useTestService();

const phones = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `+4915770${String(from + i).padStart(5, '0')}`);
const csvOf = (list: string[]) => `phone\n${list.join('\n')}\n`;

async function sizeOf(listId: string): Promise<number> {
  const answer = await api(t).get(`/v1/lists/${listId}`);
  expect(answer.status).toBe(200);
  return Number(answer.body.contactCount);
}

describe('a list size', () => {
  it('follows imports of new, known and repeated contacts, and a compaction keeps it', async () => {
    const { sql } = t.service.ctx.database;
    const first = await createList(t, 'sizes one');
    const second = await createList(t, 'sizes two');
    // 30 new contacts, one of them twice in the file
    await importCsv(t, first, csvOf([...phones(0, 30), phones(0, 1)[0] ?? '']));
    expect(await sizeOf(first)).toBe(30);
    // 20 already in the list and 10 known contacts new to it: 10 more members
    await importCsv(t, first, csvOf(phones(10, 30)));
    expect(await sizeOf(first)).toBe(40);
    // the same contacts in a second list count there, not again in the first
    await importCsv(t, second, csvOf(phones(0, 25)));
    expect(await sizeOf(second)).toBe(25);
    expect(await sizeOf(first)).toBe(40);
    expect(await listCountersOffRecount(sql)).toEqual([]);

    const rows = await compactUntil(sql, async () => {
      const [row] = await sql<{ n: number; unfolded: number }[]>`
        select count(*)::int as n, count(*) filter (where not folded)::int as unfolded
        from list_member_counts where list_id = ${first}`;
      return row?.unfolded === 0 ? row : undefined;
    });
    expect(rows.n).toBe(1);
    expect(await sizeOf(first)).toBe(40);
    const lists = (await api(t).get('/v1/lists?limit=100')).body.data as {
      id: string;
      contactCount: number;
    }[];
    expect(lists.find((list) => list.id === second)?.contactCount).toBe(25);
  });

  it('goes with its list: a deleted list leaves no counter rows, and an empty one counts 0', async () => {
    const { sql } = t.service.ctx.database;
    const listId = await createList(t, 'sizes deleted');
    expect(await sizeOf(listId)).toBe(0);
    await importCsv(t, listId, csvOf(phones(100, 12)));
    expect(await sizeOf(listId)).toBe(12);
    expect((await api(t).delete(`/v1/lists/${listId}`)).status).toBe(204);
    const [left] = await sql<{ n: number }[]>`
      select count(*)::int as n from list_member_counts where list_id = ${listId}`;
    expect(left?.n).toBe(0);
    expect(await listCountersOffRecount(sql)).toEqual([]);
  });
});
