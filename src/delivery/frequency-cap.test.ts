import { describe, expect, it } from 'vitest';
import { appliedCap, parseFrequencyCap } from './frequency-cap';

describe('parseFrequencyCap', () => {
  it('reads <max>/<days>d', () => {
    expect(parseFrequencyCap('2/7d')).toEqual({ max: 2, days: 7 });
    expect(parseFrequencyCap(' 10 / 30D ')).toEqual({ max: 10, days: 30 });
  });

  it.each(['2/7', '2 per week', '0/7d', '2/0d', '101/7d', '2/366d', '-1/7d', '2/7d3', ''])(
    'refuses %j with the form it wants',
    (text) => {
      expect(parseFrequencyCap(text)).toEqual({
        problem: expect.stringContaining('<max>/<days>d, such as 2/7d'),
      });
    },
  );
});

describe('appliedCap', () => {
  const week = { max: 2, days: 7 };
  it('applies the default to marketing templates, and to those of no category', () => {
    expect(appliedCap({ kind: 'default' }, 'marketing', week)).toEqual({
      ...week,
      categories: ['marketing'],
    });
    expect(appliedCap({ kind: 'default' }, null, week)).toEqual({
      ...week,
      categories: ['marketing'],
    });
  });

  it('exempts utility and authentication templates from the default, not from their own cap', () => {
    expect(appliedCap({ kind: 'default' }, 'utility', week)).toBeNull();
    expect(appliedCap({ kind: 'default' }, 'authentication', week)).toBeNull();
    expect(appliedCap({ kind: 'own', cap: { max: 1, days: 1 } }, 'utility', week)).toEqual({
      max: 1,
      days: 1,
      categories: ['marketing', 'utility'],
    });
  });

  it('turns off with null, and needs a default to apply one', () => {
    expect(appliedCap({ kind: 'off' }, 'marketing', week)).toBeNull();
    expect(appliedCap({ kind: 'default' }, 'marketing', undefined)).toBeNull();
  });
});
