import { z } from '@hono/zod-openapi';
import type { templateCategory } from '../db/schema';

/**
 * Frequency caps (docs/design.md, rule 35): at most `max` marketing templates to one phone in
 * any rolling `days` days, across every campaign, checked as each message is claimed for sending
 * (src/sending/queries.ts, claimTemplateRows).
 */

/** The bounds of a cap: a cap of more than 100 is no cap, a window longer than a year no policy. */
export const CAP_BOUNDS = { max: 100, days: 365 } as const;

export const FrequencyCap = z
  .object({
    max: z.number().int().min(1).max(CAP_BOUNDS.max),
    days: z.number().int().min(1).max(CAP_BOUNDS.days),
  })
  .strict()
  .openapi('FrequencyCap', {
    description: `at most \`max\` (1–${CAP_BOUNDS.max}) templates to one phone in any rolling \`days\` days (1–${CAP_BOUNDS.days})`,
  });
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/**
 * FREQUENCY_CAP's value, `2/7d`: the cap, or a reason it is not one. Empty: no default cap.
 */
export function parseFrequencyCap(text: string): FrequencyCap | { problem: string } {
  const match = /^\s*(\d{1,3})\s*\/\s*(\d{1,3})\s*d\s*$/i.exec(text);
  const parsed = match
    ? FrequencyCap.safeParse({ max: Number(match[1]), days: Number(match[2]) })
    : undefined;
  if (!parsed?.success)
    return {
      problem: `must be <max>/<days>d, such as 2/7d (max 1 to ${CAP_BOUNDS.max}, days 1 to ${CAP_BOUNDS.days})`,
    };
  return parsed.data;
}

type Category = (typeof templateCategory.enumValues)[number];

/** A campaign's own setting: none (the default applies), off, or its cap. */
export type CapSetting = { kind: 'default' } | { kind: 'off' } | { kind: 'own'; cap: FrequencyCap };

/** The cap a run's claims apply, and the template categories whose sends it counts. */
export type AppliedCap = FrequencyCap & { categories: Category[] };

/**
 * The cap on a campaign's sends: its own (whatever its template's category: a campaign that
 * sets a cap asks for it), else FREQUENCY_CAP for a marketing template (a template made by
 * hand, of no category, counts as marketing: broadcasts are), else none. Marketing sends count
 * towards every cap; a campaign of another category capping itself counts its own category's
 * sends too.
 */
export function appliedCap(
  setting: CapSetting,
  category: Category | null,
  defaultCap: FrequencyCap | undefined,
): AppliedCap | null {
  const own = category ?? 'marketing';
  if (setting.kind === 'off') return null;
  if (setting.kind === 'own')
    return { ...setting.cap, categories: [...new Set<Category>(['marketing', own])] };
  if (own !== 'marketing' || !defaultCap) return null;
  return { ...defaultCap, categories: ['marketing'] };
}
