import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { lineOf } from './csv-lines';
import { CsvReader, type RowBatch } from './csv-reader';

/** The batches of `text` read in pieces of `size` characters. */
function batchesOf(text: string, size: number, maxRowChars: number): RowBatch[] {
  const reader = new CsvReader(',', maxRowChars);
  const batches: RowBatch[] = [];
  for (let at = 0; at < text.length; at += size)
    batches.push(...reader.push(text.slice(at, at + size)));
  batches.push(...reader.end());
  return batches;
}

/** Reads `text` cut into pieces of `size` characters; answers rows and problems in order. */
function read(text: string, size: number, maxRowChars = 50) {
  return batchesOf(text, size, maxRowChars).flatMap(({ rows, problem }) => [
    ...rows,
    ...(problem ? [problem.kind === 'too long' ? problem.fieldChars : problem.reason] : []),
  ]);
}

const sizes = [1, 2, 3, 7, 64, 10_000];

describe('CsvReader', () => {
  it('reads the rows papaparse reads, however the text is cut, with any line end', () => {
    for (const newline of ['\n', '\r\n', '\r']) {
      const text = ['phone,note', '1,"two\nlines"', '', '2,"said ""hi"""', ' , ', '3,é🙂'].join(
        newline,
      );
      const expected = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' }).data;
      for (const size of sizes)
        expect(read(text, size), `${size} ${JSON.stringify(newline)}`).toEqual(expected);
    }
  });

  it('ends the row of an unclosed quote with its line, and reads on from the next', () => {
    const text = 'phone,name\n1,"oops\n2,b\n3,"again\n4,d\n';
    for (const size of sizes) {
      expect(read(text, size), String(size)).toEqual([
        ['phone', 'name'],
        'line 2: a quote opens a field that is never closed; the import goes on from line 3',
        ['2', 'b'],
        'line 4: a quote opens a field that is never closed; the import goes on from line 5',
        ['4', 'd'],
      ]);
    }
  });

  it('counts the lines of quoted line ends, and stops a quote within the row limit', () => {
    const text = `a,"x\ny"\nb,"open\n${'c,d\n'.repeat(20)}`;
    for (const size of [1, 5, 64]) {
      expect(read(text, size, 20)[1], String(size)).toBe(
        'line 3: a quote opens a field that is never closed within 20 characters; the import goes on from line 4',
      );
      expect(read(text, size, 20)).toHaveLength(22);
    }
  });

  it('measures the fields of a row too long to hold, and reads on after its line end', () => {
    // longer than the largest piece: never complete in memory
    const long = `1,${'x'.repeat(30_000)},${'y'.repeat(40)}`;
    for (const newline of ['\n', '\r\n']) {
      const text = `h,i,j${newline}${long}${newline}2,b,c${newline}`;
      for (const size of sizes) {
        expect(read(text, size, 20), `${size} ${JSON.stringify(newline)}`).toEqual([
          ['h', 'i', 'j'],
          [1, 30_000, 40],
          ['2', 'b', 'c'],
        ]);
      }
    }
  });
});

describe('CsvReader: lines', () => {
  /** Each row's first field with the line it starts on, and each problem's line. */
  function startLines(text: string, size: number, maxRowChars = 50) {
    return batchesOf(text, size, maxRowChars).flatMap((batch) => [
      ...batch.rows.map((fields, i) => `${fields[0]}@${lineOf(batch.lines, i)}`),
      ...(batch.problem ? [`${batch.problem.kind}@${batch.problem.line}`] : []),
    ]);
  }

  it('gives each row and problem the line it starts on, however the text is cut', () => {
    for (const newline of ['\n', '\r\n', '\r']) {
      const text = [
        '', // 1
        'h,note', // 2
        'a,"one', // 3
        'two', // 4
        'three"', // 5
        ' , ', // 6
        `d,${'y'.repeat(20_000)}`, // 7: longer than the largest piece
        'e,x', // 8
        'b,"oops', // 9
        'c,x', // 10
      ].join(newline);
      for (const size of sizes) {
        expect(startLines(text, size), `${size} ${JSON.stringify(newline)}`).toEqual([
          'h@2',
          'a@3',
          'too long@7',
          'e@8',
          'unclosed quote@9',
          'c@10',
        ]);
      }
    }
  });

  it('gives the line a row starts on in random files, cut anywhere', () => {
    const cell = fc.oneof(
      fc.constantFrom('x', '', 'y z'),
      fc.constantFrom('one\ntwo', 'a\n\nb', '\n').map((text) => `"${text}"`),
    );
    const line = fc.oneof(
      { weight: 4, arbitrary: fc.array(cell, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constant(null) }, // a blank line
    );
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.integer({ min: 1, max: 40 }),
        (lines, newline, size) => {
          const expected: string[] = [];
          let at = 1;
          const text = lines
            .map((cells, i) => {
              const row = cells ? [`r${i}`, ...cells].join(',').replaceAll('\n', newline) : '';
              if (cells) expected.push(`r${i}@${at}`);
              at += row.split(newline).length;
              return row;
            })
            .join(newline);
          expect(startLines(text, size, 1000)).toEqual(expected);
        },
      ),
    );
  });
});
