import { inArray } from 'drizzle-orm';
import { listMembers } from '../db/schema';
import type { Queryable } from '../db/transaction';
import { attributeOfReason } from '../templates/render';
import { audienceGroups, type HoldoutDraw } from './queries';

/**
 * Who a run opened now would take, counted without writing anything. The audience is the
 * snapshot's (snapshot-run.ts): each contact of the lists once, opted-out phones left out,
 * rendered by `renderSql`, so a contact is skipped here exactly when its message row would be,
 * and counted under the reason that row would carry (its first missing placeholder).
 */
export type AudienceFigures = {
  /** List memberships, before merging. */
  memberships: number;
  /** Distinct contacts of the lists, opted-out ones included. */
  contacts: number;
  optedOut: number;
  /** `contacts - optedOut`: the run's `audience`, its message rows. */
  audience: number;
  skipped: number;
  /** Sendable, but drawn into the campaign's holdout group: they get nothing (rule 36). */
  heldOut: number;
  skippedByAttribute: Record<string, number>;
  /** The sendable recipients by the first digits of their phone (only when asked for). */
  sendableByPrefix: Record<string, number>;
};

export async function audienceFigures(
  { db, sql }: Queryable,
  listIds: string[],
  parameters: string[],
  maxParameterChars: number,
  prefixDigits = 0,
  holdout: HoldoutDraw | null = null,
): Promise<AudienceFigures> {
  const groups = await audienceGroups(
    sql,
    listIds,
    parameters,
    maxParameterChars,
    prefixDigits,
    holdout,
  );
  const memberships = await db.$count(listMembers, inArray(listMembers.listId, listIds));
  const figures: AudienceFigures = {
    memberships,
    contacts: 0,
    optedOut: 0,
    audience: 0,
    skipped: 0,
    heldOut: 0,
    skippedByAttribute: {},
    sendableByPrefix: {},
  };
  for (const group of groups) {
    figures.contacts += group.count;
    if (group.optedOut) figures.optedOut += group.count;
    else figures.audience += group.count;
    if (group.held) figures.heldOut += group.count;
    if (group.digits !== null)
      figures.sendableByPrefix[group.digits] =
        (figures.sendableByPrefix[group.digits] ?? 0) + group.count;
    if (group.reason === null) continue;
    figures.skipped += group.count;
    const attribute = attributeOfReason(group.reason);
    figures.skippedByAttribute[attribute] =
      (figures.skippedByAttribute[attribute] ?? 0) + group.count;
  }
  return figures;
}
