import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import {
  type CloudApiEvent,
  inboundEvent,
  type Origin,
  statusEvent,
} from './cloud-api-webhook-events';
import {
  CloudEnvelope,
  MAX_EVENTS,
  MessagesValue,
  TemplateQualityValue,
  TemplateStatusValue,
} from './cloud-api-webhook-schema';

export type * from './cloud-api-webhook-events';

/**
 * Meta's webhook for WhatsApp, as pure functions: the signature of a POST, the verification
 * handshake of a GET, and the body into domain events (docs/providers.md, Webhooks). The route
 * that uses them (`/webhooks/whatsapp`) is wired with the senders.
 */

export type ParsedWebhook =
  /** `ignored` counts the changes, statuses and messages the service has no use for. */
  | { ok: true; events: CloudApiEvent[]; ignored: number }
  | { ok: false; errors: { path: string; message: string }[] };

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Whether `X-Hub-Signature-256` is the HMAC-SHA256 of the raw bytes under one of the app
 * secrets, compared in constant time. Computed over the bytes received: JSON parsed and written
 * again would differ.
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecrets: string[],
): boolean {
  const hex = header === undefined ? undefined : SIGNATURE.exec(header.trim())?.[1];
  if (!hex) return false;
  const given = Buffer.from(hex, 'hex');
  let matched = false;
  for (const secret of appSecrets) {
    if (!secret) continue;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // every secret is tried, so the time does not tell which one matched
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Meta's verification of the callback URL: `hub.mode=subscribe`, a `hub.verify_token` equal to
 * one of ours (compared in constant time), and the `hub.challenge` to answer as plain text.
 * Undefined means 403.
 */
export function verifySubscription(
  query: Record<string, string | undefined>,
  verifyTokens: string[],
): string | undefined {
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (query['hub.mode'] !== 'subscribe' || !token || !challenge) return undefined;
  // Meta's challenge is a number; anything else, or a long one, is not Meta.
  if (!/^[\w.-]{1,256}$/.test(challenge)) return undefined;
  const given = digest(token);
  const known = verifyTokens.filter(Boolean).some((ours) => timingSafeEqual(digest(ours), given));
  return known ? challenge : undefined;
}

type Issues = { path: string; message: string }[];

function issuesOf(error: z.ZodError, prefix: (string | number)[]): Issues {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].join('.'),
    message: issue.message,
  }));
}

type ChangeResult = { events: CloudApiEvent[]; ignored: number } | { errors: Issues };

/** One change of an entry into events: statuses and messages, template updates; others ignored. */
function changeEvents(
  businessAccountId: string,
  change: { field: string; value: unknown },
  at: (string | number)[],
): ChangeResult {
  const origin: Origin = { businessAccountId, phoneNumberId: null };
  if (change.field === 'messages') {
    const value = MessagesValue.safeParse(change.value);
    if (!value.success) return { errors: issuesOf(value.error, at) };
    const { metadata, statuses = [], messages = [], contacts } = value.data;
    const from = { ...origin, phoneNumberId: metadata.phone_number_id };
    const events = [
      ...statuses.map((status) => statusEvent(from, status)),
      ...messages.map((message) => inboundEvent(from, message, contacts)),
    ];
    const known = events.filter((event) => event !== undefined);
    return { events: known, ignored: events.length - known.length };
  }
  if (change.field === 'message_template_status_update') {
    const value = TemplateStatusValue.safeParse(change.value);
    if (!value.success) return { errors: issuesOf(value.error, at) };
    const { event, reason } = value.data;
    return {
      ignored: 0,
      events: [
        {
          ...origin,
          type: 'template_status',
          event: event.toLowerCase(),
          templateId: value.data.message_template_id,
          name: value.data.message_template_name,
          language: value.data.message_template_language,
          // Meta writes "NONE" when there is no reason
          reason: reason && reason !== 'NONE' ? reason : null,
        },
      ],
    };
  }
  if (change.field === 'message_template_quality_update') {
    const value = TemplateQualityValue.safeParse(change.value);
    if (!value.success) return { errors: issuesOf(value.error, at) };
    return {
      ignored: 0,
      events: [
        {
          ...origin,
          type: 'template_quality',
          templateId: value.data.message_template_id,
          name: value.data.message_template_name,
          language: value.data.message_template_language,
          quality: value.data.new_quality_score.toLowerCase(),
          previousQuality: value.data.previous_quality_score?.toLowerCase(),
        },
      ],
    };
  }
  return { events: [], ignored: 1 };
}

/**
 * A webhook body into domain events, or why it is not one of Meta's (a 400): one change that
 * does not parse refuses the whole body, so that nothing of it is applied.
 */
export function parseCloudApiWebhook(body: unknown): ParsedWebhook {
  const envelope = CloudEnvelope.safeParse(body);
  if (!envelope.success) return { ok: false, errors: issuesOf(envelope.error, []) };
  const events: CloudApiEvent[] = [];
  const errors: Issues = [];
  let ignored = 0;
  envelope.data.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      const result = changeEvents(entry.id, change, ['entry', e, 'changes', c, 'value']);
      if ('errors' in result) errors.push(...result.errors);
      else {
        events.push(...result.events);
        ignored += result.ignored;
      }
    });
  });
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, 100) };
  if (events.length + ignored > MAX_EVENTS)
    return { ok: false, errors: [{ path: 'entry', message: `more than ${MAX_EVENTS} events` }] };
  return { ok: true, events, ignored };
}
