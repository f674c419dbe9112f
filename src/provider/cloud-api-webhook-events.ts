import type { z } from 'zod';
import { boundedTitle } from './cloud-api-errors';
import type { CloudInbound, CloudStatus, MessagesValue } from './cloud-api-webhook-schema';
import type { ProviderErrorDetail } from './types';

/** The domain events of Meta's webhook bodies (cloud-api-webhook.ts parses them). */

/** Where an event came from: the business account (entry id) and, for messages, the number. */
export type Origin = { businessAccountId: string; phoneNumberId: string | null };

export type CloudStatusEvent = Origin & {
  type: 'status';
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: Date;
  /** E.164, absent when Meta withholds the phone of a user with a username. */
  phone?: string;
  /** The business-scoped user id (BSUID), when Meta sends one. */
  userId?: string;
  pricing?: { category?: string; type?: string; billable?: boolean };
  errors: ProviderErrorDetail[];
};

export type CloudInboundEvent = Origin & {
  type: 'message';
  providerMessageId: string;
  timestamp: Date;
  phone?: string;
  userId?: string;
  profileName?: string;
  /** Meta's message type: text, button, interactive, image… */
  kind: string;
  /** What the customer wrote or tapped ('' for media without a caption we read). */
  text: string;
  /** The payload of a quick-reply button, or the id of an interactive reply. */
  payload?: string;
  /** The wamid of our message this one answers (`context.id`). */
  quotedProviderMessageId?: string;
};

export type CloudTemplateStatusEvent = Origin & {
  type: 'template_status';
  /** approved, paused, disabled, rejected… (Meta's event, lower-case). */
  event: string;
  templateId: string;
  name: string;
  language: string;
  reason: string | null;
};

export type CloudTemplateQualityEvent = Origin & {
  type: 'template_quality';
  templateId?: string;
  name: string;
  language: string;
  /** green, yellow, red, unknown. */
  quality: string;
  previousQuality?: string;
};

export type CloudApiEvent =
  | CloudStatusEvent
  | CloudInboundEvent
  | CloudTemplateStatusEvent
  | CloudTemplateQualityEvent;

const phoneOf = (waId: string | undefined) => (waId ? `+${waId}` : undefined);
const seconds = (unix: number) => new Date(unix * 1000);
const STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'read', 'failed']);

export function statusEvent(
  origin: Origin,
  status: z.infer<typeof CloudStatus>,
): CloudStatusEvent | undefined {
  if (!STATUSES.has(status.status)) return undefined;
  const { pricing } = status;
  return {
    ...origin,
    type: 'status',
    providerMessageId: status.id,
    status: status.status as CloudStatusEvent['status'],
    timestamp: seconds(status.timestamp),
    phone: phoneOf(status.recipient_id),
    userId: status.recipient_user_id,
    pricing: pricing && {
      category: pricing.category?.toLowerCase(),
      type: pricing.type?.toLowerCase(),
      billable: pricing.billable,
    },
    errors: (status.errors ?? []).map(({ code, title, message }) => ({
      code,
      title: boundedTitle(title ?? message, `error ${code}`),
    })),
  };
}

export function inboundEvent(
  origin: Origin,
  message: z.infer<typeof CloudInbound>,
  contacts: z.infer<typeof MessagesValue>['contacts'],
): CloudInboundEvent | undefined {
  const contact =
    contacts?.find(
      (c) =>
        (message.from && c.wa_id === message.from) ||
        (message.from_user_id && c.user_id === message.from_user_id),
    ) ?? (contacts?.length === 1 ? contacts[0] : undefined);
  const userId = message.from_user_id ?? contact?.user_id;
  // a message from nobody we could ever answer or attribute
  if (!message.from && !userId) return undefined;
  const answer = message.interactive?.button_reply ?? message.interactive?.list_reply;
  const { text, payload } =
    message.type === 'button'
      ? { text: message.button?.text ?? '', payload: message.button?.payload }
      : message.type === 'interactive'
        ? { text: answer?.title ?? '', payload: answer?.id }
        : { text: message.text?.body ?? '', payload: undefined };
  return {
    ...origin,
    type: 'message',
    providerMessageId: message.id,
    timestamp: seconds(message.timestamp),
    phone: phoneOf(message.from),
    userId,
    profileName: contact?.profile?.name,
    kind: message.type,
    text,
    payload,
    quotedProviderMessageId: message.context?.id,
  };
}
