import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvReader, type RowBatch } from './csv-reader';

/** Reads `text` cut into pieces of `size` characters; answers rows and problems in order. */
function read(text: string, size: number, maxRowChars = 50) {
  const reader = new CsvReader(',', maxRowChars);
  const batches: RowBatch[] = [];
  for (let at = 0; at < text.length; at += size)
    batches.push(...reader.push(text.slice(at, at + size)));
  batches.push(...reader.end());
  return batches.flatMap(({ rows, problem }) => [
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
