import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuid';

describe('uuidv7', () => {
  it('makes version 7 UUIDs that sort in time order and do not repeat', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) =>
      uuidv7(1_700_000_000_000 + Math.floor(i / 100)),
    );
    for (const id of ids.slice(0, 50))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const first = ids[0] as string;
    const last = ids.at(-1) as string;
    expect(first < last).toBe(true);
    expect(first.slice(0, 13)).toBe('018bcfe5-6800');
  });
});
