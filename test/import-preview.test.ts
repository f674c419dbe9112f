import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../src/contacts/import/schemas';
import { contactsOf, createList, fixture, importCsv, waitForImport } from './helpers/audience';
import { useTestService } from './helpers/service';

const t = useTestService({ env: { ROLE: 'all' } });

function preview(body: RequestInit['body'], query = '', type = 'text/csv') {
  return t.request(`/v1/imports/preview${query}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });
}

async function previewOk(body: RequestInit['body'], query = ''): Promise<ImportPreview> {
  const response = await preview(body, query);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as ImportPreview;
}

describe('POST /v1/imports/preview', () => {
  it('reads a file as the import would: delimiter, phone column, rows as stored, failures', async () => {
    const result = await previewOk(await fixture('problems.csv'), '?defaultCountry=DE');
    expect(result).toMatchObject({
      delimiter: ',',
      columns: ['phone', 'name', 'tier'],
      phoneColumn: 'phone',
      attributeColumns: ['name', 'tier'],
      defaultCountry: 'DE',
      complete: true,
      failure: null,
    });
    expect(result.rows.slice(0, 2)).toEqual([
      {
        row: 1,
        phone: '+79995253422',
        attributes: { name: 'Ivan', tier: 'gold' },
        error: null,
      },
      {
        row: 2,
        phone: '+79995253422',
        attributes: { name: 'Ivan again', tier: 'silver' },
        error: null,
      },
    ]);
    // The same rows, numbers, lines and reasons as the import itself records.
    const listId = await createList(t);
    const imported = await importCsv(
      t,
      listId,
      await fixture('problems.csv'),
      '?defaultCountry=DE',
    );
    expect(result.failures).toEqual(imported.errors);
    expect(result.failing).toBe(imported.invalid);
    expect(result.rowsRead).toBe(imported.rows);
    expect(result.rows.find((row) => row.row === 4)?.error).toMatchObject({
      kind: 'fieldCount',
      reason: 'expected 3 fields, found 2',
    });
  });

  it('finds a `mobile` column and `;` delimiter, and takes the phone column and country chosen', async () => {
    const csv = 'Name;Mobile;Office phone\nAnna;0151 12345001;+4930123456\nBen;0151 12345002;\n';
    const guessed = await previewOk(csv);
    expect(guessed).toMatchObject({
      delimiter: ';',
      phoneColumn: 'Mobile',
      attributeColumns: ['Name', 'Office phone'],
      defaultCountry: null,
      failing: 2,
    });
    expect(guessed.failures[0]).toMatchObject({ row: 1, line: 2, kind: 'missingCountry' });
    const chosen = await previewOk(csv, '?defaultCountry=de&phoneColumn=mobile');
    expect(chosen.failing).toBe(0);
    expect(chosen.rows.map((row) => [row.phone, row.attributes])).toEqual([
      ['+4915112345001', { Name: 'Anna', 'Office phone': '+4930123456' }],
      ['+4915112345002', { Name: 'Ben' }],
    ]);
    const office = await previewOk(csv, '?phoneColumn=Office%20phone');
    expect(office.phoneColumn).toBe('Office phone');
    expect(office.failures[0]).toMatchObject({ row: 2, kind: 'invalidPhone' });
  });

  it('answers the columns and why, for a file without the phone column named', async () => {
    const none = await previewOk(await fixture('no-phone.csv'));
    expect(none).toMatchObject({ phoneColumn: null, columns: ['id', 'name', 'city'], rows: [] });
    expect(none.failure).toMatch(/no column named like phone/);
    const wrong = await previewOk('phone,name\n+4915112345001,A\n', '?phoneColumn=tel');
    expect(wrong.failure).toMatch(/no column named "tel"/);
    const bare = await previewOk('phone,name\n');
    expect(bare.failure).toBe('The file has a header but no data rows.');
  });

  it('leaves out the cut last line of the start of a longer file', async () => {
    const rows = Array.from(
      { length: 30 },
      (_, i) => `+49151123450${String(i).padStart(2, '0')},n${i}`,
    );
    const start = `phone,name\n${rows.join('\n')}\n`.slice(0, -8); // the last line is cut
    const partial = await previewOk(start, '?partial=true');
    expect(partial).toMatchObject({ complete: false, rowsRead: 29, failing: 0 });
    expect(partial.rows).toHaveLength(10);
    const whole = await previewOk(start);
    expect(whole).toMatchObject({ complete: true, rowsRead: 30, failing: 1 });
  });

  it('refuses what it cannot read, with a problem document, and stores nothing', async () => {
    const cases: [RequestInit['body'], string, number, RegExp][] = [
      ['', 'text/csv', 400, /request has no body|empty/],
      ['phone\n+4915112345001\n', 'application/json', 415, /text\/csv/],
      [new Uint8Array([0x70, 0x68, 0xff, 0x0a]), 'text/csv', 415, /UTF-8/],
      ['x'.repeat(256 * 1024 + 1), 'text/csv', 413, /at most 256 KiB/],
    ];
    for (const [body, type, status, detail] of cases) {
      const response = await preview(body, '', type);
      expect(response.status, String(detail)).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
    }
    const bad = await preview('phone\n1\n', '?defaultCountry=ZZ');
    expect(bad.status).toBe(400);
    const stored = await t.service.ctx.database.sql`select count(*)::int as n from imports`;
    expect(stored[0]?.n).toBe(1); // the import of the first test only
  });
});

describe("an import's errors as CSV", () => {
  it('lists the rejected rows with line, kind and reason, defused for spreadsheets', async () => {
    const listId = await createList(t);
    const done = await importCsv(t, listId, 'phone,name\n+4915112345009,ok\n+12,bad\n');
    const response = await t.request(`/v1/imports/${done.id}/errors`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="import-errors-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(await response.text()).toBe(
      "row,line,kind,reason,value\r\n2,3,invalidPhone,invalid phone number: too short,'+12\r\n",
    );
  });
});

describe('a multipart upload with its options as form fields', () => {
  it('reads phoneColumn and defaultCountry placed before the file; the query wins', async () => {
    const listId = await createList(t);
    const form = new FormData();
    form.append('phoneColumn', 'cell');
    form.append('defaultCountry', 'de');
    form.append('file', new Blob(['name,cell\nAnna,0151 12345011\n']), 'a.csv');
    const response = await t.request(`/v1/lists/${listId}/imports`, { method: 'POST', body: form });
    expect(response.status, await response.clone().text()).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(await waitForImport(t, id)).toMatchObject({ status: 'completed', created: 1 });
    expect((await contactsOf(t, listId)).map((c) => c.phone)).toEqual(['+4915112345011']);
  });

  it('refuses a bad field value (422) and a field after the file (400), storing nothing', async () => {
    const listId = await createList(t);
    const bad = new FormData();
    bad.append('defaultCountry', 'Germany');
    bad.append('file', new Blob(['phone\n0151 12345012\n']), 'a.csv');
    const refused = await t.request(`/v1/lists/${listId}/imports`, { method: 'POST', body: bad });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe(
      'defaultCountry',
    );
    const late = new FormData();
    late.append('file', new Blob(['phone\n0151 12345012\n']), 'a.csv');
    late.append('defaultCountry', 'DE');
    const after = await t.request(`/v1/lists/${listId}/imports`, { method: 'POST', body: late });
    expect(after.status).toBe(400);
    expect(((await after.json()) as { detail: string }).detail).toMatch(/before the file/);
    const stored = await t.service.ctx.database
      .sql`select count(*)::int as n from imports where list_id = ${listId}`;
    expect(stored[0]?.n).toBe(0);
  });
});

describe('GET /v1/lists/{listId}/imports', () => {
  it("pages a list's imports newest first, without their rejected rows", async () => {
    const listId = await createList(t);
    const first = await importCsv(t, listId, 'phone\n+4915112345101\nbad\n');
    const second = await importCsv(t, listId, 'phone\n+4915112345102\n');
    const page = await t.request(`/v1/lists/${listId}/imports?limit=1`);
    const body = (await page.json()) as { data: Record<string, unknown>[]; nextCursor: string };
    expect(body.data.map((i) => i.id)).toEqual([second.id]);
    expect(body.data[0]).not.toHaveProperty('errors');
    const rest = await t.request(`/v1/lists/${listId}/imports?cursor=${body.nextCursor}`);
    const next = (await rest.json()) as { data: Record<string, unknown>[]; nextCursor: null };
    expect(next).toMatchObject({ data: [{ id: first.id, invalid: 1 }], nextCursor: null });
  });
});
