/**
 * A campaign's uplift over its holdout group (docs/design.md, rule 36): the difference of two
 * proportions, with the 95% interval of Newcombe's hybrid score method (Newcombe 1998, "Interval
 * estimation for the difference between independent proportions", method 10), built from the
 * Wilson score interval of each proportion. It keeps within [-1, 1] and behaves at rates near 0
 * and small groups, where the textbook Wald interval fails.
 */

/** z for a two-sided 95% interval. */
const Z = 1.959963984540054;

/** Wilson's score interval of `successes` out of `n` (n > 0). */
export function wilson(successes: number, n: number): [number, number] {
  const p = successes / n;
  const z2 = Z * Z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export type Uplift = {
  treatedRate: number;
  holdoutRate: number;
  difference: number;
  ci95: [number, number];
};

/** The treated group's rate less the holdout's, with its interval; null when a group is empty. */
export function uplift(
  treated: { size: number; replied: number },
  holdout: { size: number; replied: number },
): Uplift | null {
  if (treated.size === 0 || holdout.size === 0) return null;
  const p1 = treated.replied / treated.size;
  const p2 = holdout.replied / holdout.size;
  const [l1, u1] = wilson(treated.replied, treated.size);
  const [l2, u2] = wilson(holdout.replied, holdout.size);
  const difference = p1 - p2;
  return {
    treatedRate: p1,
    holdoutRate: p2,
    difference,
    ci95: [
      difference - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
      difference + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    ],
  };
}
