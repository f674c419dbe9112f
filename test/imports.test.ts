import { describe, expect, it } from 'vitest';
import { contactsOf, createList, fixture, importCsv, upload } from './helpers/audience';
import { useTestService } from './helpers/service';

const t = useTestService({ env: { MAX_UPLOAD_BYTES: String(256 * 1024) } });

const byPhone = (contacts: { phone: string; attributes: Record<string, string> }[]) =>
  Object.fromEntries(contacts.map((c) => [c.phone, c.attributes]));

describe('CSV import', () => {
  it('imports a file with a BOM and CRLF line ends, merging two spellings of one number', async () => {
    const listId = await createList(t);
    const result = await importCsv(t, listId, await fixture('bom-crlf.csv'), '?defaultCountry=US');
    expect(result).toMatchObject({
      status: 'completed',
      phoneColumn: 'phone',
      delimiter: ',',
      rows: 6,
      created: 4,
      updated: 0,
      duplicates: 1,
      invalid: 1,
      errors: [
        {
          row: 5,
          line: 6,
          kind: 'invalidPhone',
          value: '12345',
          reason: 'invalid phone number: too short',
        },
      ],
    });
    expect(result.rows).toBe(result.created + result.updated + result.duplicates + result.invalid);
    const contacts = byPhone(await contactsOf(t, listId));
    expect(contacts).toEqual({
      '+79995253422': { first_name: 'Ivan', city: 'Moscow' },
      '+4915112345678': { first_name: 'Anna', city: 'Berlin' },
      '+14155552671': { first_name: 'John', city: 'San Francisco' },
      '+447911123456': { first_name: 'Olivia', city: 'London' },
    });
  });

  it('trims headers, names empty ones by position and numbers repeated ones', async () => {
    const listId = await createList(t);
    const result = await importCsv(t, listId, ' phone , Name ,,Name\n+4917099988877,Anna,x,Berg\n');
    expect(result).toMatchObject({ status: 'completed', phoneColumn: 'phone', created: 1 });
    expect(byPhone(await contactsOf(t, listId))).toEqual({
      '+4917099988877': { Name: 'Anna', column_3: 'x', Name_2: 'Berg' },
    });
  });

  it('detects semicolons and tabs, keeps quoted newlines and quotes, and UTF-8 names', async () => {
    const semicolon = await createList(t);
    const first = await importCsv(t, semicolon, await fixture('semicolon-quoted.csv'));
    expect(first).toMatchObject({
      status: 'completed',
      delimiter: ';',
      phoneColumn: 'Mobile',
      created: 2,
    });
    expect(byPhone(await contactsOf(t, semicolon))).toEqual({
      '+4915122223333': { Name: 'Müller, Jörg', Note: 'line one\nline two' },
      '+4741234567': { Name: 'Ole', Note: 'said "hi"' },
    });

    const tab = await createList(t);
    const second = await importCsv(t, tab, await fixture('tab.csv'));
    expect(second).toMatchObject({
      status: 'completed',
      delimiter: '\t',
      phoneColumn: 'whatsapp',
      created: 3,
    });
    expect(byPhone(await contactsOf(t, tab))['+819012345678']).toEqual({
      name: '田中',
      country: 'JP',
    });
  });

  it('rejects bad rows only, with their data row number, and the counts add up', async () => {
    const listId = await createList(t);
    const result = await importCsv(t, listId, await fixture('problems.csv'));
    // +79995253422 is known from the first test's file: updated, not created
    expect(result).toMatchObject({ rows: 7, created: 1, updated: 1, duplicates: 2, invalid: 3 });
    // lines count the header and the two blank lines before "not a number"
    expect(result.errors).toEqual([
      {
        row: 4,
        line: 5,
        kind: 'fieldCount',
        value: '+4915112345678,Anna',
        reason: 'expected 3 fields, found 2',
      },
      {
        row: 5,
        line: 6,
        kind: 'fieldCount',
        value: '+4915199998888,Too,Many,Fields',
        reason: 'expected 3 fields, found 4',
      },
      {
        row: 6,
        line: 9,
        kind: 'invalidPhone',
        value: 'not a number',
        reason: 'invalid phone number: not a phone number',
      },
    ]);
    // the first row of a repeated phone is the one kept
    expect(byPhone(await contactsOf(t, listId))['+79995253422']).toMatchObject({
      name: 'Ivan',
      tier: 'gold',
    });
  });

  it('updates contacts known from another file, the newer file winning, empty cells erasing nothing', async () => {
    const first = await createList(t, 'first');
    await importCsv(t, first, await fixture('problems.csv'));
    const second = await createList(t, 'second');
    const result = await importCsv(t, second, await fixture('update.csv'));
    expect(result).toMatchObject({ rows: 2, created: 1, updated: 1, duplicates: 0, invalid: 0 });
    const contacts = byPhone(await contactsOf(t, second));
    expect(contacts['+79995253422']).toEqual({
      city: 'Moscow', // from the first test's file, which this one does not name
      name: 'Ivan',
      tier: 'platinum',
      first_name: 'Иван',
    });
    expect(contacts['+4915100001111']).toEqual({ first_name: 'Neu' });
    // membership of the first list is untouched; the contact is one row in both lists
    const inFirst = (await contactsOf(t, first)).find((c) => c.phone === '+79995253422');
    const inSecond = (await contactsOf(t, second)).find((c) => c.phone === '+79995253422');
    expect(inFirst?.id).toBe(inSecond?.id);
  });

  it('keeps backslashes, tabs and newlines inside fields (COPY text escaping)', async () => {
    const listId = await createList(t);
    const note = 'C:\\temp\\new\ttab \\N\nnext line';
    const result = await importCsv(t, listId, `phone,note\n+4915111113333,"${note}"\n`);
    expect(result).toMatchObject({ status: 'completed', created: 1, invalid: 0 });
    expect((await contactsOf(t, listId))[0]?.attributes).toEqual({ note });
  });

  it('keeps a UTF-8 character that is split across two chunks of the upload', async () => {
    const listId = await createList(t);
    const bytes = Buffer.from('phone,name\n+4915111112222,Zoë Ørsted 田中\n');
    const split = bytes.indexOf(Buffer.from('ë')) + 1; // between the two bytes of "ë"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, split));
        controller.enqueue(bytes.subarray(split));
        controller.close();
      },
    });
    const response = await t.request(`/v1/lists/${listId}/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const { waitForImport } = await import('./helpers/audience');
    expect(await waitForImport(t, id)).toMatchObject({ status: 'completed', created: 1 });
    expect((await contactsOf(t, listId))[0]?.attributes).toEqual({ name: 'Zoë Ørsted 田中' });
  });

  it('takes the file as the "file" field of a multipart form, with phoneColumn and delimiter given', async () => {
    const listId = await createList(t);
    const form = new FormData();
    form.append('note', 'ignored');
    form.append(
      'file',
      new Blob(['contact|label\n+4915133334444|x\n'], { type: 'text/csv' }),
      'list.csv',
    );
    const response = await t.request(
      `/v1/lists/${listId}/imports?phoneColumn=Contact&delimiter=|`,
      {
        method: 'POST',
        body: form,
      },
    );
    expect(response.status, await response.clone().text()).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const { waitForImport } = await import('./helpers/audience');
    expect(await waitForImport(t, id)).toMatchObject({
      status: 'completed',
      created: 1,
      phoneColumn: 'contact',
    });
  });
});

describe('CSV import: refused files store nothing', () => {
  async function expectRefused(response: Response, status: number, detail: RegExp) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { detail: string };
    expect(problem.detail).toMatch(detail);
  }
  async function storedImports() {
    const [row] = await t.service.ctx.database.sql<{ imports: number; chunks: number }[]>`
      select (select count(*)::int from imports) as imports, (select count(*)::int from import_uploads) as chunks`;
    return row;
  }

  it('answers a clear problem for each kind of bad file', async () => {
    const listId = await createList(t);
    const before = await storedImports();
    await expectRefused(
      await upload(t, listId, await fixture('no-phone.csv')),
      422,
      /no column named like phone/,
    );
    await expectRefused(
      await upload(t, listId, await fixture('bom-crlf.csv'), '?phoneColumn=cell'),
      422,
      /no column named "cell"/,
    );
    await expectRefused(await upload(t, listId, ''), 400, /empty|no body/);
    await expectRefused(await upload(t, listId, 'phone,name\n'), 400, /no data rows/);
    await expectRefused(
      await upload(
        t,
        listId,
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      ),
      415,
      /binary/,
    );
    await expectRefused(
      await upload(t, listId, Buffer.from('phone,name\n+4915100000000,J\xf6rg\n', 'latin1')),
      415,
      /not UTF-8/,
    );
    await expectRefused(
      await upload(t, listId, '{"phone": 1}', '', 'application/json'),
      415,
      /text\/csv/,
    );
    await expectRefused(
      await upload(t, listId, 'phone\n+4915100000000\n', '?defaultCountry=Germany'),
      400,
      /defaultCountry/,
    );
    await expectRefused(
      await upload(t, listId, 'phone\n+4915100000000\n', '?defaultCountry=ZZ'),
      400,
      /defaultCountry/,
    );
    await expectRefused(
      await upload(t, '00000000-0000-4000-8000-000000000000', await fixture('bom-crlf.csv')),
      404,
      /does not exist/,
    );
    // Multipart forms without a boundary, or cut off inside the file: a 400, never a 500
    await expectRefused(
      await upload(t, listId, 'phone\n+4915100000000\n', '', 'multipart/form-data'),
      400,
      /multipart body is malformed.*boundary/i,
    );
    const cut = [
      '--XYZ',
      'Content-Disposition: form-data; name="file"; filename="c.csv"',
      'Content-Type: text/csv',
      '',
      'phone\n+4915100000000\n+4915100000001',
    ].join('\r\n');
    await expectRefused(
      await upload(t, listId, cut, '', 'multipart/form-data; boundary=XYZ'),
      400,
      /multipart body is malformed.*unexpected end/i,
    );
    expect(await storedImports()).toEqual(before);
  });

  it('answers 413 for a file over the limit, declared or streamed, and stores nothing', async () => {
    const listId = await createList(t);
    const before = await storedImports();
    const row = '+4915100000000,somebody with a long name\n';
    const big = `phone,name\n${row.repeat(Math.ceil((300 * 1024) / row.length))}`;
    await expectRefused(await upload(t, listId, big), 413, /larger than the limit/);

    const chunk = new TextEncoder().encode(row.repeat(1000));
    let sent = 0;
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('phone,name\n'));
        if (sent > 400 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await t.request(`/v1/lists/${listId}/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: streamed,
      duplex: 'half',
    } as RequestInit);
    await expectRefused(response, 413, /larger than the limit/);
    expect(await storedImports()).toEqual(before);
  });
});
