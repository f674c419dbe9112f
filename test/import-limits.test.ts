import { describe, expect, it } from 'vitest';
import { contactsOf, createList, importCsv } from './helpers/audience';
import { useTestService } from './helpers/service';

const t = useTestService({ env: { MAX_UPLOAD_BYTES: String(8 * 1024 * 1024) } });

const byPhone = (contacts: { phone: string; attributes: Record<string, string> }[]) =>
  Object.fromEntries(contacts.map((c) => [c.phone, c.attributes]));

/** `count` rows `+49151000<from + i>,Name<i>`: phones no other test of the file imports. */
const rows = (from: number, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `+4915100${String(from + i).padStart(5, '0')},Name${i}\n`,
  ).join('');

describe('CSV import: limits on a cell, a row and the columns', () => {
  it('rejects a row with a value over the limit, naming the column and the sizes', async () => {
    const listId = await createList(t);
    const long = 'x'.repeat(100_000); // a row longer than the limit too: read past, not held
    const result = await importCsv(
      t,
      listId,
      `phone,name,city\n+4915100000001,${long},Berlin\n+4915100000002,Ann,${'🙂'.repeat(1025)}\n+4915100000003,Bo,Rome\n`,
    );
    expect(result).toMatchObject({ status: 'completed', rows: 3, created: 1, invalid: 2 });
    expect(result.errors).toEqual([
      {
        row: 1,
        line: 2,
        kind: 'tooLong',
        value: `+4915100000001,${'x'.repeat(185)}`,
        reason: 'name: 100,000 characters, the limit is 1,024',
      },
      {
        row: 2,
        line: 3,
        kind: 'tooLong',
        // 200 characters but for half an emoji: PostgreSQL refuses a lone surrogate
        value: `+4915100000002,Ann,${'🙂'.repeat(1025)}`.slice(0, 199),
        reason: 'city: 1,025 characters, the limit is 1,024',
      },
    ]);
    expect(byPhone(await contactsOf(t, listId))).toEqual({
      '+4915100000003': { name: 'Bo', city: 'Rome' },
    });
  });

  it('rejects a row over the row limit, whether it fits in memory or is one endless line', async () => {
    const listId = await createList(t);
    const header = `phone,${Array.from({ length: 40 }, (_, i) => `c${i}`).join(',')}`;
    const wide = `+4915100000011,${Array.from({ length: 40 }, () => 'y'.repeat(1000)).join(',')}`;
    // 1,001,014 characters in a thousand short cells, without a line end until the last
    const endless = `+4915100000012${`,${'z'.repeat(1000)}`.repeat(1000)}`;
    const last = `+4915100000013${',w'.repeat(40)}`;
    const result = await importCsv(t, listId, `${header}\n${wide}\n${endless}\n${last}\n`);
    expect(result).toMatchObject({ status: 'completed', rows: 3, created: 1, invalid: 2 });
    expect(result.errors.map(({ row, reason }) => ({ row, reason }))).toEqual([
      { row: 1, reason: 'row: 40,054 characters, the limit is 32,768' },
      { row: 2, reason: 'row: 1,001,014 characters, the limit is 32,768' },
    ]);
    expect(Object.keys(byPhone(await contactsOf(t, listId)))).toEqual(['+4915100000013']);
  });

  it('fails a file with more attribute columns than the limit, saying so', async () => {
    const listId = await createList(t);
    const header = `phone,${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}`;
    const result = await importCsv(t, listId, `${header}\n+4915100000021${',v'.repeat(101)}\n`);
    expect(result).toMatchObject({ status: 'failed', rows: 0, created: 0 });
    expect(result.failure).toMatch(/101 attribute columns, the limit is 100/);
  });
});

describe('CSV import: an unclosed quote', () => {
  it('is an error naming its line; the lines after it are rows of their own', async () => {
    const listId = await createList(t);
    await importCsv(t, listId, 'phone,name\n+4915100000090,Before\n');
    const result = await importCsv(
      t,
      listId,
      'phone,name\n+4915100000090,"oops\n+4915100000091,Next\n+4915100000092,Last\n',
    );
    expect(result).toMatchObject({
      status: 'completed',
      rows: 3,
      created: 2,
      updated: 0,
      invalid: 1,
      errors: [
        {
          row: 1,
          value: '+4915100000090,"oops',
          reason:
            'line 2: a quote opens a field that is never closed; the import goes on from line 3',
        },
      ],
    });
    expect(byPhone(await contactsOf(t, listId))).toEqual({
      '+4915100000090': { name: 'Before' },
      '+4915100000091': { name: 'Next' },
      '+4915100000092': { name: 'Last' },
    });
  });

  it('early in a long file costs only its own line, and a second one is found too', async () => {
    const listId = await createList(t);
    const before = rows(100, 10);
    const after = rows(200, 3000); // about 80,000 characters: several pieces of the upload
    const result = await importCsv(
      t,
      listId,
      `phone,name\n${before}+4915100000150,"unclosed\n${after}+4915100000160,"again\n+4915100000161,End\n`,
    );
    expect(result).toMatchObject({ status: 'completed', rows: 3013, created: 3011, invalid: 2 });
    expect(result.errors).toEqual([
      {
        row: 11,
        line: 12,
        kind: 'unclosedQuote',
        value: '+4915100000150,"unclosed',
        // found before the end of the file: its field ran past the row limit
        reason:
          'line 12: a quote opens a field that is never closed within 32,768 characters; the import goes on from line 13',
      },
      {
        row: 3012,
        line: 3013,
        kind: 'unclosedQuote',
        value: '+4915100000160,"again',
        reason:
          'line 3013: a quote opens a field that is never closed; the import goes on from line 3014',
      },
    ]);
  });
});
