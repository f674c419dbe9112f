import { describe, expect, it } from 'vitest';
import type { Contact } from '../src/contacts/schemas';
import { SEARCH_SCAN_ROWS } from '../src/contacts/search-contacts';
import { createList, importCsv } from './helpers/audience';
import { useTestService } from './helpers/service';

const t = useTestService();

type SearchPage = { data: Contact[]; nextCursor: string | null; scanned: number };

async function search(query: string): Promise<SearchPage> {
  const response = await t.request(`/v1/contacts?${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as SearchPage;
}

const phones = (page: SearchPage) => page.data.map((contact) => contact.phone);

describe('GET /v1/contacts?q=', () => {
  it('finds contacts by digits of their phone or text of an attribute, of one list or all', async () => {
    const spring = await createList(t, 'Spring');
    const autumn = await createList(t, 'Autumn');
    await importCsv(
      t,
      spring,
      'phone,first_name,city\n+4915112345001,Anna,Berlin\n+4915112345002,Ben,Hamburg\n',
    );
    await importCsv(
      t,
      autumn,
      'phone,first_name,city\n+4915112345003,Clara,berlin-Mitte\n+4915112345004,"Jo ""JJ"" \\o/",Köln\n',
    );
    expect(phones(await search('q=BERLIN'))).toEqual(['+4915112345001', '+4915112345003']);
    expect(phones(await search(`q=berlin&listId=${spring}`))).toEqual(['+4915112345001']);
    expect(phones(await search('q=5002'))).toEqual(['+4915112345002']);
    expect(phones(await search('q=0151%2012345'))).toHaveLength(4);
    // A whole number, however written, is the contact itself (through the phone's index).
    expect(await search('q=%2B49%20151%201234%205003')).toMatchObject({
      data: [{ phone: '+4915112345003', attributes: { first_name: 'Clara' } }],
      nextCursor: null,
    });
    expect(phones(await search(`q=%2B4915112345003&listId=${spring}`))).toEqual([]);
    expect((await search('q=nobody')).data).toEqual([]);
    // Quotes and backslashes, which the attributes' JSON text escapes, are found all the same.
    expect(phones(await search(`q=${encodeURIComponent('"jj" \\o/')}`))).toEqual([
      '+4915112345004',
    ]);
  });

  it('pages its matches, and looks at a bounded stretch of contacts a page', async () => {
    const listId = await createList(t, 'Many');
    const first = await search('q=berlin&limit=1');
    expect(phones(first)).toEqual(['+4915112345001']);
    const second = await search(`q=berlin&limit=1&cursor=${first.nextCursor}`);
    expect(phones(second)).toEqual(['+4915112345003']);
    expect(second.nextCursor).toBeNull();
    // Contacts made directly: SEARCH_SCAN_ROWS of them that do not match, then one that does.
    const { sql } = t.service.ctx.database;
    await sql`
      insert into contacts (id, phone, attributes)
      select uuid_v7(), '+4930' || lpad(n::text, 8, '0'), '{"first_name": "Filler"}'
      from generate_series(1, ${SEARCH_SCAN_ROWS}) n`;
    await sql`insert into contacts (id, phone, attributes)
      values (uuid_v7(), '+4930999999999', '{"first_name": "Needle"}')`;
    await sql`insert into list_members (list_id, contact_id) select ${listId}, id from contacts`;
    const stretch = await search('q=needle');
    expect(stretch.scanned).toBe(SEARCH_SCAN_ROWS);
    expect(stretch.data).toEqual([]);
    expect(stretch.nextCursor).not.toBeNull();
    const next = await search(`q=needle&cursor=${stretch.nextCursor}`);
    expect(phones(next)).toEqual(['+4930999999999']);
    expect(next.nextCursor).toBeNull();
    const inList = await search(`q=needle&listId=${listId}&cursor=${stretch.nextCursor}`);
    expect(phones(inList)).toEqual(['+4930999999999']);
  });

  it('refuses an empty or overlong q and an unknown list', async () => {
    for (const query of ['q=', 'q=%20', `q=${'x'.repeat(101)}`, 'limit=2']) {
      expect((await t.request(`/v1/contacts?${query}`)).status, query).toBe(400);
    }
    const unknown = await t.request('/v1/contacts?q=a&listId=nope');
    expect(unknown.status).toBe(404);
  });
});

describe('a contact and its lists', () => {
  it('answers the lists that hold a contact, newest first, with when it joined', async () => {
    const older = await createList(t, 'Older');
    const newer = await createList(t, 'Newer');
    await importCsv(t, older, 'phone\n+4915112345077\n');
    await importCsv(t, newer, 'phone\n+4915112345077\n');
    const [contact] = (await search('q=%2B4915112345077')).data;
    const response = await t.request(`/v1/contacts/${contact?.id}/lists?limit=1`);
    const page = (await response.json()) as {
      data: { id: string; name: string; addedAt: string }[];
      nextCursor: string | null;
    };
    expect(page.data.map((list) => list.name)).toEqual(['Newer']);
    const rest = await t.request(`/v1/contacts/${contact?.id}/lists?cursor=${page.nextCursor}`);
    expect(((await rest.json()) as { data: { name: string }[] }).data.map((l) => l.name)).toEqual([
      'Older',
    ]);
  });
});

describe('PATCH /v1/lists/{listId}', () => {
  it('renames a list and keeps its contacts; an empty name is a 422', async () => {
    const listId = await createList(t, 'Old name');
    await importCsv(t, listId, 'phone\n+4915112345088\n');
    const renamed = await t.request(`/v1/lists/${listId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '  New name ' }),
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: 'New name', contactCount: 1 });
    const empty = await t.request(`/v1/lists/${listId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: ' ' }),
    });
    expect(empty.status).toBe(422);
    const kept = (await (await t.request(`/v1/lists/${listId}`)).json()) as { name: string };
    expect(kept.name).toBe('New name');
  });
});
