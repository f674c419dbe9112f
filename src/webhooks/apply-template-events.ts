import { and, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import { pauseCampaignsUsingTemplates } from '../campaigns/pause-campaign';
import { type templateStatus, templates } from '../db/schema';
import type { Builder } from '../db/transaction';
import type {
  CloudTemplateQualityEvent,
  CloudTemplateStatusEvent,
} from '../provider/cloud-api-webhook';

type TemplateStatus = (typeof templateStatus.enumValues)[number];

/**
 * Meta's template events (lower-case) as the template's status (docs/decisions.md, "The Cloud
 * API webhook"): null for an event that leaves the status as it is (a warning, an edit lock).
 * An event not listed is counted and ignored.
 */
export const TEMPLATE_EVENT_STATUS: Readonly<Record<string, TemplateStatus | null>> = {
  approved: 'approved',
  reinstated: 'approved',
  unarchived: 'approved',
  pending: 'pending',
  in_appeal: 'pending',
  rejected: 'rejected',
  limit_exceeded: 'rejected',
  paused: 'paused',
  disabled: 'disabled',
  archived: 'disabled',
  deleted: 'disabled',
  pending_deletion: 'disabled',
  flagged: null,
  locked: null,
  unlocked: null,
};

/** The statuses a campaign cannot send with: campaigns that use such a template are paused. */
const STOPS_CAMPAIGNS: ReadonlySet<TemplateStatus> = new Set(['paused', 'disabled', 'rejected']);

export type TemplateResult = 'updated' | 'unchanged' | 'unmatched' | 'ignored';

/**
 * The templates an event is about, among the templates of the senders of its business account:
 * by Meta's id, else by name and language (a template made before its first sync).
 */
async function matchTemplates(
  db: Builder,
  senderIds: string[],
  event: { templateId?: string; name: string; language: string },
): Promise<string[]> {
  const ours = and(inArray(templates.senderId, senderIds), isNull(templates.deletedAt));
  if (event.templateId) {
    const byId = await db
      .select({ id: templates.id })
      .from(templates)
      .where(and(ours, eq(templates.externalId, event.templateId)));
    if (byId.length > 0) return byId.map((t) => t.id);
  }
  const byName = await db
    .select({ id: templates.id })
    .from(templates)
    .where(and(ours, eq(templates.name, event.name), eq(templates.languageCode, event.language)));
  return byName.map((t) => t.id);
}

/**
 * A `message_template_status_update`: the template takes the new status, and when that stops
 * sending (paused, disabled, rejected) every running or scheduled campaign using it pauses
 * with the reason in words. Only a change acts: the same event applied again (Meta's retry, a
 * replayed body) finds the status already set and pauses nothing, so a campaign an operator
 * resumed stays resumed.
 */
export async function applyTemplateStatus(
  db: Builder,
  senderIds: string[],
  event: CloudTemplateStatusEvent,
): Promise<{ result: TemplateResult; paused: { campaignIds: string[]; reason: string } | null }> {
  const status = TEMPLATE_EVENT_STATUS[event.event];
  if (status === undefined) return { result: 'ignored', paused: null };
  const ids = await matchTemplates(db, senderIds, event);
  if (ids.length === 0) return { result: 'unmatched', paused: null };
  if (status === null) return { result: 'unchanged', paused: null };
  const changed = await db
    .update(templates)
    .set({ status })
    .where(and(inArray(templates.id, ids), ne(templates.status, status)))
    .returning({ id: templates.id });
  if (changed.length === 0) return { result: 'unchanged', paused: null };
  if (!STOPS_CAMPAIGNS.has(status)) return { result: 'updated', paused: null };
  const template = `the template ${event.name} (${event.language})`;
  const what =
    event.event === status
      ? `Meta ${status} ${template}`
      : `Meta's "${event.event}" made ${template} ${status}`;
  const reason = event.reason ? `${what}: ${event.reason}` : what;
  const campaignIds = await pauseCampaignsUsingTemplates(
    db,
    changed.map((t) => t.id),
    reason.slice(0, 1000),
  );
  return { result: 'updated', paused: { campaignIds, reason } };
}

/** A `message_template_quality_update`: the template keeps its new quality. */
export async function applyTemplateQuality(
  db: Builder,
  senderIds: string[],
  event: CloudTemplateQualityEvent,
): Promise<TemplateResult> {
  const ids = await matchTemplates(db, senderIds, event);
  if (ids.length === 0) return 'unmatched';
  const changed = await db
    .update(templates)
    .set({ quality: event.quality })
    .where(
      and(
        inArray(templates.id, ids),
        or(isNull(templates.quality), ne(templates.quality, event.quality)),
      ),
    )
    .returning({ id: templates.id });
  return changed.length > 0 ? 'updated' : 'unchanged';
}
