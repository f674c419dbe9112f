import { eq, sql } from 'drizzle-orm';
import { capSettingOf } from '../campaigns/campaign-json';
import type { Db } from '../db/client';
import { campaigns, runs, templates } from '../db/schema';
import { type AppliedCap, appliedCap, type FrequencyCap } from '../delivery/frequency-cap';
import { parameterNames } from '../templates/body-parameters';
import { componentLayout, sendParameters } from '../templates/component-parameters';
import type { TemplateForSend } from '../templates/render';

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
};

/**
 * What a dispatcher needs of a run: its campaign's pace and cap, and the template it was opened
 * with (its campaign's, for a run opened before runs kept their own), whose category decides
 * whether `defaultCap` (FREQUENCY_CAP) applies.
 */
export async function loadRunForSending(
  db: Db,
  runId: string,
  defaultCap: FrequencyCap | undefined,
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
      category: templates.category,
      name: templates.name,
      namespace: templates.namespace,
      code: templates.languageCode,
      policy: templates.languagePolicy,
      parameters: templates.parameters,
      parameterFormat: templates.parameterFormat,
      components: templates.components,
      componentParameters: templates.componentParameters,
    })
    .from(runs)
    .innerJoin(campaigns, eq(campaigns.id, runs.campaignId))
    .innerJoin(
      templates,
      eq(templates.id, sql`coalesce(${runs.templateId}, ${campaigns.templateId})`),
    )
    .where(eq(runs.id, runId));
  if (!row) return undefined;
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
    cap: appliedCap(capSettingOf(row), row.category, defaultCap),
  };
}
