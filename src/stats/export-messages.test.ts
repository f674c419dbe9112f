import { describe, expect, it } from 'vitest';
import { batchRows } from './export-messages';

describe('batchRows', () => {
  it('keeps 1,000 rows a batch without attributes or with a few short ones', () => {
    expect(batchRows(0, 1024)).toBe(1000);
    expect(batchRows(2, 1024)).toBe(1000);
  });

  it('keeps a batch of wide attributes within 2 Mi characters, and at least 10 rows', () => {
    // 100 columns of 1,024 characters: 20 rows, 2,048,000 characters at most
    expect(batchRows(100, 1024)).toBe(20);
    expect(batchRows(100, 1024) * 100 * 1024).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(batchRows(10_000, 65_536)).toBe(10);
  });
});
