import { describe, expect, it } from 'vitest';
import { api, type Json } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService } from './helpers/service';

const BUDGET = 64 * 1024;

const t = useTestService({ env: { LIST_PAGE_MAX_BYTES: String(BUDGET) } });

/** Every page of `path` (limit 1000): each answer's size in bytes, and all the items. */
async function allPages(path: string) {
  const sizes: number[] = [];
  const items: Json[] = [];
  let cursor: unknown = null;
  do {
    const response = await t.request(`${path}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    sizes.push(Buffer.byteLength(text));
    const page = JSON.parse(text) as { data: Json[]; nextCursor: string | null };
    expect(page.data.length).toBeGreaterThan(0);
    items.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return { sizes, items };
}

describe('a page of a list is bounded in bytes, whatever was stored', () => {
  it("carries at most LIST_PAGE_MAX_BYTES of contacts' attributes, and leaves out a contact's too large alone", async () => {
    const f = factories(t);
    const list = await f.list();
    // stored before the import had limits: 5,000,000 characters in one attribute
    const huge = await f.contact({ name: 'x'.repeat(5_000_000), city: 'Rome' });
    const ids = [huge.id];
    for (let i = 0; i < 100; i++)
      ids.push((await f.contact({ note: `${i}`.padEnd(1000, 'y') })).id);
    await f.addToList(list, ...ids);

    const { sizes, items } = await allPages(`/v1/lists/${list}/contacts`);
    expect(sizes.length).toBeGreaterThan(1);
    // the budget counts the attributes; ids, phones and dates add about 150 bytes a contact
    for (const size of sizes) expect(size).toBeLessThan(BUDGET + 100 * 150);
    expect(items.map((item) => item.id).sort()).toEqual([...ids].sort());
    const byId = new Map(items.map((item) => [item.id, item]));
    expect(byId.get(huge.id)).toMatchObject({ attributes: {}, attributesOmitted: true });
    expect(byId.get(ids[1])).toMatchObject({ attributes: { note: `0${'y'.repeat(999)}` } });
    expect(byId.get(ids[1])).not.toHaveProperty('attributesOmitted');

    const one = await t.request(`/v1/contacts/${huge.id}`);
    expect(Buffer.byteLength(await one.clone().text())).toBeLessThan(1000);
    expect(await one.json()).toMatchObject({
      id: huge.id,
      attributes: {},
      attributesOmitted: true,
    });
  });

  it("carries at most LIST_PAGE_MAX_BYTES of templates' parameters", async () => {
    const created: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await api(t).post('/v1/templates', {
        name: `big_${i}`,
        namespace: 'ns',
        language: { code: 'en' },
        parameters: Array.from({ length: 20 }, () => `{{a|${'p'.repeat(1000)}}}`),
      });
      expect(response.status).toBe(201);
      created.push(response.body.id);
    }
    const { sizes, items } = await allPages('/v1/templates');
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThan(BUDGET + 1000);
    expect(items.map((item) => item.id)).toEqual(expect.arrayContaining(created));
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
  });
});
