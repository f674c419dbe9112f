import type { AppContext } from '../context';
import type { templateCategory } from '../db/schema';
import type { Queryable } from '../db/transaction';
import { type AppliedCap, appliedCap, type FrequencyCap } from '../delivery/frequency-cap';
import { PLAN_HORIZON_DAYS, type PlanGroup, planSends } from '../delivery/send-plan';
import { ALL_DAYS, type AppliedWindow, appliedWindow, daysOfMask } from '../delivery/send-window';
import {
  type CampaignRow,
  type CampaignZone,
  capSettingOf,
  windowSettingOf,
} from './campaign-json';
import type { Estimate } from './preview-estimate';
import { type EligibleGroup, eligibleGroups, type HoldoutDraw, zoneWindows } from './queries';
import { count, percentOf } from './skip-rule';

const HOUR_MS = 3_600_000;

type Category = (typeof templateCategory.enumValues)[number];

/** What decides when and whether the eligible are sent (docs/design.md, rules 35 and 37). */
export type DeliveryPolicy = {
  cap: AppliedCap | null;
  window: AppliedWindow | null;
  /** A local-time schedule's wall-clock time (PostgreSQL's `timestamp` text). */
  localAt: string | null;
  campaignZone: string;
  /** Whether the window is QUIET_HOURS (the campaign names none). */
  quietHours: boolean;
};

export function deliveryPolicy(
  campaign: CampaignRow,
  category: Category | null,
  defaults: { cap: FrequencyCap | undefined; quietHours: AppliedWindow | undefined },
  zone: CampaignZone,
): DeliveryPolicy {
  const setting = windowSettingOf(campaign);
  return {
    cap: appliedCap(capSettingOf(campaign), category, defaults.cap),
    window: appliedWindow(setting, category, defaults.quietHours),
    localAt: campaign.scheduleLocalAt,
    campaignZone: zone.zone,
    quietHours: setting.kind === 'default',
  };
}

/**
 * The eligible recipients by zone (only when a window or local time applies: otherwise the
 * snapshot reads no zone either) with the cap's count; nothing to ask when neither applies.
 */
export async function eligibleByZone(
  ctx: Pick<AppContext, 'database' | 'zoneNames'>,
  campaign: CampaignRow,
  parameters: string[],
  maxParameterChars: number,
  holdout: HoldoutDraw | null,
  policy: DeliveryPolicy,
): Promise<EligibleGroup[] | null> {
  const zoned = policy.window !== null || policy.localAt !== null;
  if (!zoned && !policy.cap) return null;
  const { sql } = ctx.database;
  return eligibleGroups(
    sql,
    campaign.listIds,
    parameters,
    maxParameterChars,
    holdout,
    zoned ? { knownZones: await ctx.zoneNames.get(), campaignZone: policy.campaignZone } : null,
    policy.cap,
  );
}

export type SendPlanFigures = {
  capped: number | null;
  outsideWindowNow: number;
  byHour: { hour: string; count: number }[];
  expiring: number;
  /** The simulation's finish when a window or local time applies, else the estimate's. */
  finish: Date;
  warnings: string[];
};

/**
 * When the eligible would be sent, from the estimate's start at its pace and within the
 * sender's limit, over each zone's windows from send_windows() (src/delivery/send-plan.ts).
 */
export async function sendPlanFigures(input: {
  database: Queryable;
  policy: DeliveryPolicy;
  groups: EligibleGroup[] | null;
  eligible: number;
  estimate: Estimate;
  room: number;
  dailyLimit: number | null;
  now: Date;
}): Promise<SendPlanFigures> {
  const { policy, groups, estimate } = input;
  const { start } = estimate;
  const zoned = policy.window !== null || policy.localAt !== null;
  const planGroups: PlanGroup[] =
    zoned && groups
      ? await zonePlanGroups(input.database, groups, policy, start)
      : [{ count: input.eligible, dueFrom: start, windows: null }];
  const deadlineHours = policy.window?.deadlineHours ?? null;
  const plan = planSends({
    start,
    pacePerSecond: estimate.pacePerSecond,
    room: input.room,
    dailyLimit: input.dailyLimit,
    deadline: deadlineHours === null ? null : new Date(start.getTime() + deadlineHours * HOUR_MS),
    groups: planGroups,
  });
  const capped = policy.cap ? (groups ?? []).reduce((sum, g) => sum + g.capped, 0) : null;
  const finish = zoned ? plan.finish : estimate.finish;
  const warnings: string[] = [];
  if (plan.outsideAtStart > 0)
    warnings.push(
      `${percentOf(plan.outsideAtStart, input.eligible)} of recipients ${waitingWords(policy)}; the run will end ${dayWords(finish, input.now)}`,
    );
  if (capped && policy.cap)
    warnings.push(
      `${count(capped)} ${capped === 1 ? 'recipient' : 'recipients'} would be skipped by the frequency cap (${policy.cap.max} in ${policy.cap.days} ${policy.cap.days === 1 ? 'day' : 'days'})`,
    );
  if (plan.expiring > 0)
    warnings.push(
      `${count(plan.expiring)} ${plan.expiring === 1 ? 'recipient' : 'recipients'} would not be sent before the deadline (deadlineHours ${deadlineHours}) and would end expired`,
    );
  if (plan.beyondHorizon > 0)
    warnings.push(
      `${count(plan.beyondHorizon)} ${plan.beyondHorizon === 1 ? 'recipient' : 'recipients'} would not be sent within ${PLAN_HORIZON_DAYS} days of the start: the figures by hour stop there, and the finish reckons them at the pace and limit alone`,
    );
  return {
    capped,
    outsideWindowNow: plan.outsideAtStart,
    byHour: plan.byHour,
    expiring: plan.expiring,
    finish,
    warnings,
  };
}

/** The groups with their zone's windows and local `at`, read in one statement. */
async function zonePlanGroups(
  database: Queryable,
  groups: EligibleGroup[],
  policy: DeliveryPolicy,
  start: Date,
): Promise<PlanGroup[]> {
  const zones = groups.map((g) => g.zone ?? policy.campaignZone);
  const rows = await zoneWindows(
    database.sql,
    zones,
    start,
    PLAN_HORIZON_DAYS,
    policy.window,
    policy.localAt,
  );
  const byZone = new Map(rows.map((row) => [row.zone, row]));
  return groups.map((group, i) => {
    const row = byZone.get(zones[i] ?? policy.campaignZone);
    return {
      count: group.count,
      dueFrom: row?.dueFrom == null ? start : new Date(row.dueFrom),
      windows:
        row?.windows?.map((w) => ({ opens: new Date(w.opens), closes: new Date(w.closes) })) ??
        null,
    };
  });
}

/** Why recipients wait at the start, in words: their window, the schedule's local time. */
function waitingWords(policy: DeliveryPolicy): string {
  const { window, localAt } = policy;
  const outside = window ? `are outside their send window now (${windowWords(policy)})` : '';
  const early = localAt
    ? `have not reached the schedule's local time (${localAt.slice(11, 16)}) yet`
    : '';
  return [outside, early].filter(Boolean).join(' or ');
}

/** `QUIET_HOURS 21:00-08:00`, `sendWindow 09:00-20:00 mon-fri`… as a person set it. */
export function windowWords(policy: Pick<DeliveryPolicy, 'window' | 'quietHours'>): string {
  const { window } = policy;
  if (!window) return 'none';
  if (policy.quietHours) return `QUIET_HOURS ${window.to}-${window.from}`;
  const days = window.daysMask === ALL_DAYS ? '' : ` ${daysOfMask(window.daysMask).join(',')}`;
  return `sendWindow ${window.from}-${window.to}${days}`;
}

/** `today at 14:00 UTC`, `tomorrow at 14:00 UTC`, `on Thu 3 Dec at 14:00 UTC`. */
export function dayWords(at: Date, now: Date): string {
  const time = at.toISOString().slice(11, 16);
  const days = Math.round(
    (Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) -
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) /
      (24 * HOUR_MS),
  );
  if (days === 0) return `today at ${time} UTC`;
  if (days === 1) return `tomorrow at ${time} UTC`;
  const date = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(at);
  return `on ${date.replace(',', '')} at ${time} UTC`;
}
