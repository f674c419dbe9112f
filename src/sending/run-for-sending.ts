import { eq, sql } from 'drizzle-orm';
import { capSettingOf, windowSettingOf } from '../campaigns/campaign-json';
import type { Db } from '../db/client';
import { campaigns, runs, templates } from '../db/schema';
import { type AppliedCap, appliedCap, type FrequencyCap } from '../delivery/frequency-cap';
import { type AppliedWindow, appliedWindow } from '../delivery/send-window';
import { parameterNames } from '../templates/body-parameters';
import { componentLayout, sendParameters } from '../templates/component-parameters';
import type { TemplateForSend } from '../templates/render';
import type { ClaimWindow } from './queries';

type Run = typeof runs.$inferSelect;

export type RunForSending = {
  id: Run['id'];
  status: Run['status'];
  campaignId: Run['campaignId'];
  /** The campaign's sending number: its pace, limit, health and provider. */
  senderId: (typeof campaigns.$inferSelect)['senderId'];
  ratePerSecond: (typeof campaigns.$inferSelect)['ratePerSecond'];
  template: TemplateForSend;
  /** The frequency cap its claims apply (docs/design.md, rule 35), or none. */
  cap: AppliedCap | null;
  /** The send window its claims check again (docs/design.md, rule 37), or none. */
  sendWindow: ClaimWindow | null;
  /**
   * A change of its send window is placing its waiting rows again (runs.window_change_at, set
   * and refreshed by the window-change job; older than WINDOW_CHANGE_STALE_SECONDS, the job is
   * taken for dead and the run goes on).
   */
  placingAgain: boolean;
};

/** How long a window change's last sign of life holds its run back. */
export const WINDOW_CHANGE_STALE_SECONDS = 120;

/** The defaults a campaign that sets none follows: FREQUENCY_CAP and QUIET_HOURS. */
export type PolicyDefaults = {
  cap: FrequencyCap | undefined;
  quietHours: AppliedWindow | undefined;
};

/**
 * What a dispatcher needs of a run: its campaign's pace and cap, and the template it was opened
 * with (its campaign's, for a run opened before runs kept their own), whose category decides
 * whether the defaults (FREQUENCY_CAP, QUIET_HOURS) apply.
 */
export async function loadRunForSending(
  db: Db,
  runId: string,
  defaults: PolicyDefaults,
): Promise<RunForSending | undefined> {
  const [row] = await db
    .select({
      status: runs.status,
      campaignId: runs.campaignId,
      senderId: campaigns.senderId,
      ratePerSecond: campaigns.ratePerSecond,
      frequencyCapMode: campaigns.frequencyCapMode,
      frequencyCapMax: campaigns.frequencyCapMax,
      frequencyCapDays: campaigns.frequencyCapDays,
      sendWindowMode: campaigns.sendWindowMode,
      sendWindowFrom: campaigns.sendWindowFrom,
      sendWindowTo: campaigns.sendWindowTo,
      sendWindowDays: campaigns.sendWindowDays,
      sendWindowDeadlineHours: campaigns.sendWindowDeadlineHours,
      category: templates.category,
      name: templates.name,
      namespace: templates.namespace,
      code: templates.languageCode,
      policy: templates.languagePolicy,
      parameters: templates.parameters,
      parameterFormat: templates.parameterFormat,
      components: templates.components,
      componentParameters: templates.componentParameters,
      placingAgain: sql<boolean>`coalesce(${runs.windowChangeAt} > now() - make_interval(secs => ${WINDOW_CHANGE_STALE_SECONDS}), false)`,
    })
    .from(runs)
    .innerJoin(campaigns, eq(campaigns.id, runs.campaignId))
    .innerJoin(
      templates,
      eq(templates.id, sql`coalesce(${runs.templateId}, ${campaigns.templateId})`),
    )
    .where(eq(runs.id, runId));
  if (!row) return undefined;
  const window = appliedWindow(windowSettingOf(row), row.category, defaults.quietHours);
  return {
    id: runId,
    status: row.status,
    campaignId: row.campaignId,
    senderId: row.senderId,
    ratePerSecond: row.ratePerSecond,
    template: {
      name: row.name,
      namespace: row.namespace,
      language: { code: row.code, policy: row.policy },
      parameters: sendParameters(row),
      parameterNames: parameterNames(row),
      components: componentLayout(row),
    },
    cap: appliedCap(capSettingOf(row), row.category, defaults.cap),
    sendWindow: window && { window },
    placingAgain: row.placingAgain,
  };
}
