import { describe, expect, it } from 'vitest';
import { Turns } from './turns';

describe('Turns', () => {
  it('runs one piece at a time, in order, and goes on after a failure', async () => {
    const turns = new Turns();
    const log: string[] = [];
    const piece = (name: string, fail = false) =>
      turns.take(async () => {
        log.push(`${name} start`);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([piece('a'), piece('b', true), piece('c')]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
