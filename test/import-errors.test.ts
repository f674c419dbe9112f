import { describe, expect, it } from 'vitest';
import { createList, importCsv, upload } from './helpers/audience';
import { useTestService } from './helpers/service';

const t = useTestService({ env: { MAX_UPLOAD_BYTES: String(1024 * 1024) } });

const missingCountry =
  'invalid phone number: unknown country code; a number without + or 00 needs a default country: pass ?defaultCountry= (such as DE) or set DEFAULT_COUNTRY';

describe('CSV import errors say what to do', () => {
  it('a local number without a default country names ?defaultCountry=, and the summary counts such rows', async () => {
    const file = 'phone,name\n0151 11110001,Anna\n+4915111110002,Ben\n030 1111003,Cem\nabc,Dora\n';
    const without = await importCsv(t, await createList(t), file);
    expect(without).toMatchObject({ status: 'completed', rows: 4, created: 1, invalid: 3 });
    expect(without.errors).toEqual([
      { row: 1, line: 2, kind: 'missingCountry', value: '0151 11110001', reason: missingCountry },
      { row: 3, line: 4, kind: 'missingCountry', value: '030 1111003', reason: missingCountry },
      {
        row: 4,
        line: 5,
        kind: 'invalidPhone',
        value: 'abc',
        reason: 'invalid phone number: not a phone number',
      },
    ]);
    expect(without.errorCounts).toEqual({
      fieldCount: 0,
      tooLong: 0,
      unclosedQuote: 0,
      invalidPhone: 1,
      missingCountry: 2,
    });

    // the advice works: the same file with a default country loses only the row that is no number
    const withCountry = await importCsv(t, await createList(t), file, '?defaultCountry=DE');
    expect(withCountry).toMatchObject({ status: 'completed', created: 2, updated: 1, invalid: 1 });
    expect(withCountry.errorCounts).toMatchObject({ invalidPhone: 1, missingCountry: 0 });
  });

  it('a header without a phone column names phoneColumn', async () => {
    const listId = await createList(t);
    for (const query of ['', '?phoneColumn=cell']) {
      const response = await upload(t, listId, 'id,name,mobil\n1,Anna,015111110009\n', query);
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { detail: string };
      expect(problem.detail).toMatch(/its columns are: id, name, mobil/);
      expect(problem.detail).toMatch(/\?phoneColumn=/);
    }
  });
});

describe('CSV import errors give the line of the file beside the row', () => {
  it('counts the header, blank lines and the lines of quoted line ends, with any line end', async () => {
    for (const [n, newline] of ['\n', '\r\n', '\r'].entries()) {
      const file = [
        'phone,name,note', // line 1
        `+49151222${n}0001,A,x`, // line 2, row 1
        '', // line 3
        `+49151222${n}0002,B,"two`, // line 4, row 2
        'lines"', // line 5
        'not a phone,C,y', // line 6, row 3
        ',,', // line 7
        `+49151222${n}0003,D`, // line 8, row 4
        `+49151222${n}0004,E,"oops`, // line 9, row 5
        `+49151222${n}0005,F,z`, // line 10, row 6
      ].join(newline);
      const result = await importCsv(t, await createList(t), file);
      expect(result).toMatchObject({ status: 'completed', rows: 6, created: 3, invalid: 3 });
      expect(result.errors.map(({ row, line, kind }) => ({ row, line, kind }))).toEqual([
        { row: 3, line: 6, kind: 'invalidPhone' },
        { row: 4, line: 8, kind: 'fieldCount' },
        { row: 5, line: 9, kind: 'unclosedQuote' },
      ]);
      expect(result.errorCounts).toMatchObject({
        invalidPhone: 1,
        fieldCount: 1,
        unclosedQuote: 1,
      });
    }
  });

  it('keeps counting over a long file, past rows too long to hold', async () => {
    // 3,000 rows of two lines each: about 120,000 characters, several pieces of the upload
    const multiline = Array.from(
      { length: 3000 },
      (_, i) => `+49151333${String(i).padStart(5, '0')},"first\nsecond"\n`,
    ).join('');
    const long = `+4915133399998,${'x'.repeat(40_000)}\n`;
    const file = `phone,note\n${multiline}${long}+4915133399999,ok\n+12,short\n`;
    const result = await importCsv(t, await createList(t), file);
    expect(result).toMatchObject({ status: 'completed', rows: 3003, created: 3001, invalid: 2 });
    expect(result.errors.map(({ row, line, kind }) => ({ row, line, kind }))).toEqual([
      { row: 3001, line: 6002, kind: 'tooLong' },
      { row: 3003, line: 6004, kind: 'invalidPhone' },
    ]);
  });
});
