import { describe, expect, it } from 'vitest';
import { uplift, wilson } from './uplift';

// Newcombe (1998), Statistics in Medicine 17:873-890: the examples of its tables I and II.
describe('wilson', () => {
  it("gives Newcombe's score intervals", () => {
    // 81/263: 0.2553 to 0.3662
    const [low, high] = wilson(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
    // 0/20: 0 to 0.1611
    expect(wilson(0, 20)[0]).toBe(0);
    expect(wilson(0, 20)[1]).toBeCloseTo(0.1611, 4);
  });
});

describe('uplift', () => {
  it("gives the hybrid score interval of Newcombe's method 10", () => {
    // 56/70 - 48/80 = 0.2000, 95% CI 0.0524 to 0.3339
    const a = uplift({ size: 70, replied: 56 }, { size: 80, replied: 48 });
    expect(a?.difference).toBeCloseTo(0.2, 10);
    expect(a?.ci95[0]).toBeCloseTo(0.0524, 4);
    expect(a?.ci95[1]).toBeCloseTo(0.3339, 4);
    // 9/10 - 3/10 = 0.6000, 0.1705 to 0.8090
    const b = uplift({ size: 10, replied: 9 }, { size: 10, replied: 3 });
    expect(b?.ci95[0]).toBeCloseTo(0.1705, 4);
    expect(b?.ci95[1]).toBeCloseTo(0.809, 4);
    // 5/56 - 0/29 = 0.0893, -0.0381 to 0.1926
    const c = uplift({ size: 56, replied: 5 }, { size: 29, replied: 0 });
    expect(c?.ci95[0]).toBeCloseTo(-0.0381, 4);
    expect(c?.ci95[1]).toBeCloseTo(0.1926, 4);
  });

  it('is null when a group is empty', () => {
    expect(uplift({ size: 10, replied: 1 }, { size: 0, replied: 0 })).toBeNull();
    expect(uplift({ size: 0, replied: 0 }, { size: 10, replied: 1 })).toBeNull();
  });
});
