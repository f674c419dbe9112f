import type { AppContext } from '../context';
import type { Tx } from '../db/transaction';
import { classifyCloudApiError } from '../provider/cloud-api-errors';
import type {
  CloudApiEvent,
  CloudInboundEvent,
  CloudStatusEvent,
} from '../provider/cloud-api-webhook';
import { type AckCounts, applyAcks } from './apply-acks';
import { applyChatMessage, type MessageResult } from './apply-message';
import {
  applyTemplateQuality,
  applyTemplateStatus,
  type TemplateResult,
} from './apply-template-events';
import {
  applyFailures,
  applyPricing,
  contactByBsuid,
  keepContactProfile,
  type StatusFailure,
} from './cloud-queries';
import { optOutByKeyword } from './opt-out-by-keyword';
import { cloudApiSenderRoutes } from './sender-queries';

/** Longest profile name and BSUID kept on a contact: the columns' sizes (migration 0015). */
const MAX_PROFILE_NAME = 256;
const MAX_BSUID = 128;

export type CloudOutcome = {
  acks: AckCounts;
  messages: MessageResult[];
  failures: { failed: number; heldOut: number; optedOut: number; unknownIds: string[] };
  templates: TemplateResult[];
  paused: { campaignIds: string[]; reason: string }[];
  /** Events of a number or business account no sender has: stored, not applied. */
  unknownSender: { count: number; ids: string[] };
};

/**
 * Meta's events of a batch (docs/providers.md, Webhooks), each for the sender of its number
 * (statuses, messages) or business account (template events); an event for none is counted and
 * left. Statuses move messages forward only, as chat-api acks do (applyAcks); `failed` ones
 * end a message that has not been delivered; inbound messages go the chat-api's way
 * (applyChatMessage); template events update the template and pause its campaigns. Each is
 * once whatever Meta retries: acks and failures only move forward, messages are unique by
 * wamid, template events act on a change only.
 */
export async function applyCloudEvents(
  ctx: AppContext,
  tx: Tx,
  events: CloudApiEvent[],
): Promise<CloudOutcome> {
  const routes = await cloudApiSenderRoutes(tx.db);
  const numbers = new Map(routes.map((r) => [r.phoneNumberId, r.id]));
  const accounts = new Map<string, string[]>();
  for (const r of routes) {
    if (r.businessAccountId)
      accounts.set(r.businessAccountId, [...(accounts.get(r.businessAccountId) ?? []), r.id]);
  }
  const outcome: CloudOutcome = {
    acks: { applied: 0, duplicate: 0, unknownId: 0, ignored: 0, unknownIds: [] },
    messages: [],
    failures: { failed: 0, heldOut: 0, optedOut: 0, unknownIds: [] },
    templates: [],
    paused: [],
    unknownSender: { count: 0, ids: [] },
  };
  const unknownSender = (id: string) => {
    outcome.unknownSender.count++;
    if (!outcome.unknownSender.ids.includes(id) && outcome.unknownSender.ids.length < 10)
      outcome.unknownSender.ids.push(id);
  };
  const statuses: CloudStatusEvent[] = [];
  for (const event of events) {
    if (event.type === 'status' || event.type === 'message') {
      const senderId = numbers.get(event.phoneNumberId);
      if (!senderId) unknownSender(event.phoneNumberId ?? '');
      else if (event.type === 'status') statuses.push(event);
      else outcome.messages.push(await applyCloudMessage(ctx, tx, event, senderId));
      continue;
    }
    const senderIds = accounts.get(event.businessAccountId);
    if (!senderIds) {
      unknownSender(event.businessAccountId);
    } else if (event.type === 'template_status') {
      const { result, paused } = await applyTemplateStatus(tx.db, senderIds, event);
      outcome.templates.push(result);
      if (paused) outcome.paused.push(paused);
    } else {
      outcome.templates.push(await applyTemplateQuality(tx.db, senderIds, event));
    }
  }
  if (statuses.length > 0) {
    outcome.acks = await applyAcks(
      tx.sql,
      statuses
        .filter((s) => s.status !== 'failed')
        .map((s) => ({ id: s.providerMessageId, status: s.status })),
    );
    await keepPricing(tx, statuses);
    outcome.failures = await applyFailedStatuses(tx, statuses);
  }
  return outcome;
}

/**
 * A customer's message to the sender `senderId` (the number it wrote to): its phone, else the contact Meta's BSUID names (a user with a username
 * may come without a phone); one with neither is left (`ignored`: there is no window to open
 * nor anyone to attribute it to). The profile name and BSUID are kept on the phone's contact.
 */
async function applyCloudMessage(
  ctx: AppContext,
  tx: Tx,
  event: CloudInboundEvent,
  senderId: string,
): Promise<MessageResult> {
  const bsuid = event.userId && event.userId.length <= MAX_BSUID ? event.userId : null;
  const phone = event.phone ?? (bsuid ? (await contactByBsuid(tx.sql, bsuid))?.phone : undefined);
  if (!phone) return 'ignored';
  const name = event.profileName?.slice(0, MAX_PROFILE_NAME) || null;
  if (name || bsuid) await keepContactProfile(tx.sql, phone, { name, bsuid });
  return applyChatMessage(ctx, tx.sql, {
    providerMessageId: event.providerMessageId,
    phone,
    fromMe: false,
    type: event.kind,
    text: event.text || null,
    time: Math.floor(event.timestamp.getTime() / 1000),
    quotedMsgId: event.quotedProviderMessageId ?? null,
    senderId,
    payload: event.payload ?? null,
  });
}

/**
 * `pricing.category` and `pricing.billable` (else `pricing.type`: `regular` is charged, the
 * `free_…` types are not), the last given for each message.
 */
async function keepPricing(tx: Tx, statuses: CloudStatusEvent[]): Promise<void> {
  const pricing = new Map<string, { category: string | null; billable: boolean | null }>();
  for (const { providerMessageId, pricing: p } of statuses) {
    if (!p) continue;
    const billable = p.billable ?? (p.type ? p.type === 'regular' : undefined);
    if (p.category === undefined && billable === undefined) continue;
    pricing.set(providerMessageId, {
      category: p.category?.slice(0, 32) ?? null,
      billable: billable ?? null,
    });
  }
  if (pricing.size === 0) return;
  const ids = [...pricing.keys()];
  const values = [...pricing.values()];
  await applyPricing(
    tx.sql,
    ids,
    values.map((v) => v.category),
    values.map((v) => v.billable),
  );
}

/**
 * `failed` statuses, classified by the one table (cloud-api-errors.ts): Meta's holdout
 * (130472) makes the message `held_out`, not a failure; any other code `failed` with it, and
 * "stopped marketing messages" (131050) also opts the phone out (source `provider`), once: when
 * the status moved the message.
 */
async function applyFailedStatuses(tx: Tx, statuses: CloudStatusEvent[]) {
  const failures = new Map<string, StatusFailure & { optOut: boolean }>();
  for (const status of statuses) {
    if (status.status !== 'failed' || failures.has(status.providerMessageId)) continue;
    const [error] = status.errors;
    const outcome = classifyCloudApiError(error?.code, error?.title);
    failures.set(status.providerMessageId, {
      providerMessageId: status.providerMessageId,
      status: outcome.kind === 'holdout' ? 'held_out' : 'failed',
      code: outcome.error?.code ?? null,
      title: outcome.error?.title ?? null,
      reason: outcome.reason,
      optOut: outcome.kind === 'refused' && outcome.optOut === true,
    });
  }
  const counts = { failed: 0, heldOut: 0, optedOut: 0, unknownIds: [] as string[] };
  if (failures.size === 0) return counts;
  const { moved, unknownIds } = await applyFailures(tx.sql, [...failures.values()]);
  counts.unknownIds = unknownIds;
  for (const row of moved) {
    if (row.status === 'held_out') counts.heldOut++;
    else counts.failed++;
    if (!failures.get(row.providerMessageId)?.optOut) continue;
    await optOutByKeyword(
      tx.sql,
      {
        phone: row.phone,
        contactId: row.contactId,
        campaignId: row.campaignId,
        runId: row.runId,
      },
      'provider',
    );
    counts.optedOut++;
  }
  return counts;
}
