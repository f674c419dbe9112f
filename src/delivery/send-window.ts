import { z } from '@hono/zod-openapi';
import type { templateCategory } from '../db/schema';

/**
 * Send windows (docs/design.md, rule 37): a campaign sends each message only inside a window of
 * its recipient's local time. The window's openings are computed in SQL (send_windows() and
 * next_send_opening(), migration 0022) when the run is snapshotted and again when each message is
 * claimed, so that every process reads the same zone rules.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The bound on `deadlineHours`: a month; a message still waiting then is not worth sending. */
export const MAX_DEADLINE_HOURS = 720;

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM, from 00:00 to 23:59');

export const SendWindow = z
  .object({
    from: clock.openapi({ description: 'when the window opens, local HH:MM', example: '09:00' }),
    to: clock.openapi({
      description:
        'when it closes, local HH:MM; earlier than `from` for a window past midnight (22:00 to 06:00)',
      example: '20:00',
    }),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'must name at least one day')
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'names a day twice')
      .optional()
      .openapi({ description: 'the days the window opens on (every day unless given)' }),
    deadlineHours: z
      .number()
      .int()
      .min(1)
      .max(MAX_DEADLINE_HOURS)
      .optional()
      .openapi({
        description: `hours after the run starts (1–${MAX_DEADLINE_HOURS}) after which messages still waiting end \`expired\``,
      }),
  })
  .strict()
  .refine((w) => w.from !== w.to, { path: ['to'], message: 'must differ from `from`' })
  .openapi('SendWindow', {
    description: "when messages may be sent, in each recipient's local time",
  });
export type SendWindow = z.infer<typeof SendWindow>;

/** The window as the SQL functions take it: `daysMask` has bit 0 for Monday to bit 6 for Sunday. */
export type AppliedWindow = {
  from: string;
  to: string;
  daysMask: number;
  deadlineHours: number | null;
};

/** The error of a message `expired` because its window did not open before the deadline. */
export const DEADLINE_REASON =
  "deadline: its recipient's send window did not open before the campaign's deadlineHours";

export const ALL_DAYS = 0b111_1111;

export function daysMask(days: readonly Weekday[] | undefined): number {
  if (!days) return ALL_DAYS;
  return days.reduce((mask, day) => mask | (1 << WEEKDAYS.indexOf(day)), 0);
}

export function daysOfMask(mask: number): Weekday[] {
  return WEEKDAYS.filter((_, i) => (mask & (1 << i)) !== 0);
}

/**
 * QUIET_HOURS' value, `21:00-08:00`: the hours nothing is sent, read as the window between
 * them (08:00 to 21:00, every day), or a reason it is not one.
 */
export function parseQuietHours(text: string): AppliedWindow | { problem: string } {
  const match = /^\s*(\d\d:\d\d)\s*-\s*(\d\d:\d\d)\s*$/.exec(text);
  const parsed = match ? SendWindow.safeParse({ from: match[2], to: match[1] }) : undefined;
  if (!parsed?.success)
    return {
      problem: 'must be <from>-<to> in 24-hour HH:MM, such as 21:00-08:00 (two different times)',
    };
  return { from: parsed.data.from, to: parsed.data.to, daysMask: ALL_DAYS, deadlineHours: null };
}

/** A campaign's own setting: none (QUIET_HOURS applies), off, or its window. */
export type WindowSetting =
  | { kind: 'default' }
  | { kind: 'off' }
  | { kind: 'own'; window: AppliedWindow };

type Category = (typeof templateCategory.enumValues)[number];

/**
 * The window a campaign's sends keep to: its own, else QUIET_HOURS' for a marketing template (a
 * template of no category counts as marketing, as for the frequency cap), else none.
 */
export function appliedWindow(
  setting: WindowSetting,
  category: Category | null,
  quietHours: AppliedWindow | undefined,
): AppliedWindow | null {
  if (setting.kind === 'own') return setting.window;
  if (setting.kind === 'off' || (category ?? 'marketing') !== 'marketing') return null;
  return quietHours ?? null;
}

/** The window as the API shows it. */
export function toSendWindow(window: AppliedWindow): SendWindow {
  return {
    from: window.from,
    to: window.to,
    ...(window.daysMask === ALL_DAYS ? {} : { days: daysOfMask(window.daysMask) }),
    ...(window.deadlineHours === null ? {} : { deadlineHours: window.deadlineHours }),
  };
}
