// One cursor format for every list ordered newest first: base64url JSON of the last row's
// [creation time in microseconds, id]. A cursor a client kept from an earlier version (written
// by the codec this one replaced) still reads the next page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Json } from './helpers/api';
import { factories } from './helpers/factories';
import { startTestService, type TestService } from './helpers/service';

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ env: { ROLE: 'api' } });
});
afterAll(() => t.stop());

/** The cursor the earlier codec (src/http/cursor.ts) wrote for a row. */
const earlierCursor = (micros: string, id: string) =>
  Buffer.from(JSON.stringify([micros, id])).toString('base64url');

describe('cursors of the lists ordered newest first', () => {
  it('are [micros, id] of the last row, and one written before reads the next page', async () => {
    const f = factories(t);
    const listId = await f.list('first');
    const templateId = await f.template();
    const created = {
      lists: [listId, await f.list('second'), await f.list('third')],
      templates: [templateId, await f.template(), await f.template()],
      campaigns: [] as string[],
    };
    for (let i = 0; i < 3; i++) {
      const campaign = await api(t).post('/v1/campaigns', {
        name: `c${i}`,
        templateId,
        listIds: [listId],
      });
      created.campaigns.push(String(campaign.body.id));
    }
    for (const [collection, ids] of Object.entries(created)) {
      const first = await api(t).get(`/v1/${collection}?limit=2`);
      expect(first.status, collection).toBe(200);
      const [newest, second] = first.body.data as Json[];
      expect([newest?.id, second?.id], collection).toEqual([ids[2], ids[1]]);
      const key = JSON.parse(Buffer.from(String(first.body.nextCursor), 'base64url').toString());
      expect(key, collection).toEqual([expect.stringMatching(/^\d{16}$/), ids[1]]);

      const [micros] = key as [string];
      const resumed = await api(t).get(
        `/v1/${collection}?limit=2&cursor=${earlierCursor(micros, String(ids[1]))}`,
      );
      expect(resumed.status, collection).toBe(200);
      expect(
        (resumed.body.data as Json[]).map((row) => row.id),
        collection,
      ).toEqual([ids[0]]);
      expect(resumed.body.nextCursor, collection).toBeNull();
    }
  });
});
