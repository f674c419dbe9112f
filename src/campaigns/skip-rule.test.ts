import { describe, expect, it } from 'vitest';
import { percentOf, skipWarning, tooManySkips } from './skip-rule';

const figures = (audience: number, skippedByAttribute: Record<string, number>) => {
  const skipped = Object.values(skippedByAttribute).reduce((a, b) => a + b, 0);
  return {
    memberships: audience,
    contacts: audience,
    optedOut: 0,
    audience,
    skipped,
    heldOut: 0,
    skippedByAttribute,
    sendableByPrefix: {},
  };
};

describe('the skip rule in words', () => {
  it('writes shares to one decimal, never 0% for a few', () => {
    expect(percentOf(243, 1870)).toBe('13%');
    expect(percentOf(104, 1000)).toBe('10.4%');
    expect(percentOf(1, 1_000_000)).toBe('<0.1%');
    expect(percentOf(0, 0)).toBe('0%');
  });

  it('says who will be skipped and why', () => {
    expect(skipWarning('city', 243, 1870)).toBe(
      '243 contacts (13%) have no "city" and no fallback: they will be skipped',
    );
    expect(skipWarning('city', 1, 5)).toBe(
      '1 contact (20%) has no "city" and no fallback: it will be skipped',
    );
    expect(skipWarning('first_name', 12_345, 100_000)).toContain('12,345 contacts (12.3%)');
  });

  it('lets through at most the threshold, and names every attribute beyond it', () => {
    expect(tooManySkips(figures(10, { city: 1 }), 10)).toBeUndefined();
    expect(tooManySkips(figures(0, {}), 10)).toBeUndefined();
    const problem = tooManySkips(figures(1000, { city: 80, first_name: 101 }), 10);
    expect(problem).toMatch(
      /^181 of 1,000 recipients \(18.1%\) would be skipped, more than MAX_SKIPPED_PERCENT \(10%\): 101 contacts .* "first_name" .*; 80 contacts .* "city"/,
    );
    expect(tooManySkips(figures(1000, { city: 1 }), 0)).toBeDefined();
  });
});
