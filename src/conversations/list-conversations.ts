import { z } from '@hono/zod-openapi';
import { and, desc, eq, getTableColumns, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { isoUtc } from '../db/iso';
import { contacts, conversations, type inboundMessages } from '../db/schema';
import { decodeCursor, toPage } from '../http/pagination';
import { contactName } from './contact-name';
import type { Conversation } from './schemas';

const c = conversations;

// inbound_messages_phone_idx, read backwards
const lastInboundText = sql<string | null>`(
  select i.body from inbound_messages i where i.phone = ${c.phone} and not i.from_me
  order by i.sent_at desc, i.id desc limit 1)`;

/**
 * The customer's messages after the last message that went to the phone: one of ours that
 * reached the provider (messages_phone_sent_idx for templates, messages_phone_direct_idx for
 * follow-ups and free-form ones) or one typed in the WhatsApp app on the business's phone (a
 * `fromMe` echo). Answering is what reads them; there is no read marker to keep.
 */
const unreadCount = sql<number>`(
  select count(*) from inbound_messages i
  where i.phone = ${c.phone} and not i.from_me and i.sent_at > coalesce(greatest(
    (select max(m.sent_at) from messages m
      where m.phone = ${c.phone} and m.kind = 'template' and m.sent_at is not null),
    (select max(m.sent_at) from messages m where m.phone = ${c.phone} and m.kind <> 'template'),
    (select max(e.sent_at) from inbound_messages e where e.phone = ${c.phone} and e.from_me)
  ), '-infinity'))::int`;

/**
 * The phone's windows with each sender (conversation_windows' key), the latest-closing first;
 * not a deleted sender's, which nothing can be sent through.
 */
const windows = sql<WindowRow[]>`(
  select coalesce(jsonb_agg(jsonb_build_object(
      'senderId', w.sender_id, 'senderName', s.name,
      'lastInboundAt', ${sql.raw(isoUtc('w.last_inbound_at'))},
      'windowExpiresAt', ${sql.raw(isoUtc('w.window_expires_at'))},
      'open', w.window_expires_at > now()) order by w.window_expires_at desc, s.name), '[]'::jsonb)
  from conversation_windows w join senders s on s.id = w.sender_id and s.deleted_at is null
  where w.phone = ${c.phone})`;
type WindowRow = Conversation['windows'][number];

/** Whether the phone is opted out now (the opt_outs primary key). */
const optedOut = sql<boolean>`exists (select 1 from opt_outs o where o.phone = ${c.phone})`;

type Row = typeof conversations.$inferSelect & {
  open: boolean;
  optedOut: boolean;
  lastInboundText: (typeof inboundMessages.$inferSelect)['body'];
  /** Null when no contact has the phone. */
  attributes: (typeof contacts.$inferSelect)['attributes'] | null;
  unreadCount: number;
  windows: WindowRow[];
};

const toConversation = (row: Row): Conversation => ({
  phone: row.phone,
  contactId: row.contactId,
  lastInboundAt: row.lastInboundAt.toISOString(),
  windowExpiresAt: row.windowExpiresAt.toISOString(),
  open: row.open,
  campaignId: row.campaignId,
  lastInboundText: row.lastInboundText,
  contactName: contactName(row.attributes),
  unreadCount: row.unreadCount,
  optedOut: row.optedOut,
  windows: row.windows,
});

/** A conversation's columns, with the contact of the phone now (one imported after it wrote too). */
function selectConversations(ctx: AppContext) {
  return ctx.database.db
    .select({
      ...getTableColumns(c),
      open: sql<boolean>`${c.windowExpiresAt} > now()`,
      lastInboundText,
      attributes: contacts.attributes,
      unreadCount,
      optedOut,
      windows,
    })
    .from(c)
    .leftJoin(contacts, eq(contacts.phone, c.phone));
}

/** GET /v1/conversations/{phone}: one phone's conversation, or undefined when it never wrote. */
export async function findConversation(
  ctx: AppContext,
  phone: string,
): Promise<Conversation | undefined> {
  const [row] = await selectConversations(ctx).where(eq(c.phone, phone));
  return row ? toConversation(row) : undefined;
}

// Windows end on whole seconds (provider time + 24 h): an ISO cursor loses nothing.
const ConversationCursor = z.tuple([z.iso.datetime(), z.string()]);

/** Latest window end first (conversations_window_idx); `open` keeps those still open. */
export async function listConversations(
  ctx: AppContext,
  query: { open?: 'true' | 'false'; cursor?: string; limit: number },
) {
  const after = decodeCursor(query.cursor, ConversationCursor);
  const rows = await selectConversations(ctx)
    .where(
      and(
        query.open === 'true' ? sql`${c.windowExpiresAt} > now()` : undefined,
        query.open === 'false' ? sql`${c.windowExpiresAt} <= now()` : undefined,
        after
          ? or(
              lt(c.windowExpiresAt, new Date(after[0])),
              and(eq(c.windowExpiresAt, new Date(after[0])), lt(c.phone, after[1])),
            )
          : undefined,
      ),
    )
    .orderBy(desc(c.windowExpiresAt), desc(c.phone))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, toConversation, (row) => [
    row.windowExpiresAt.toISOString(),
    row.phone,
  ]);
}
