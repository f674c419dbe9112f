import { eq } from 'drizzle-orm';
import { normalizePhone } from '../contacts/phone';
import type { AppContext } from '../context';
import { messages, optOuts } from '../db/schema';
import { AppError } from '../errors';
import { type Message, toMessageJson } from './message-json';
import { insertManualMessage, openWindowSenders } from './queries';
import type { SendMessage } from './schemas';

/**
 * POST /v1/messages: a free-form message, queued as a `manual` row that the dispatcher sends
 * ahead of template traffic, through the sender whose window with the phone is open (the one
 * named, else the one closing last: docs/design.md, rule 34); it expires with that window. The checks and the insert are one
 * statement, so that the row exists only if the window was open and the phone not opted out
 * when it was written; an opted-out phone is refused at once (409 `opted_out`) rather than
 * accepted and then skipped by the dispatcher.
 */
export async function sendFreeFormMessage(ctx: AppContext, input: SendMessage): Promise<Message> {
  const normalized = normalizePhone(input.phone, ctx.config.DEFAULT_COUNTRY);
  if (!normalized.ok) {
    throw new AppError('validation_failed', `${input.phone} is not a possible phone number`, [
      { path: 'phone', message: normalized.reason },
    ]);
  }
  const phone = normalized.e164;
  const row = await insertManualMessage(ctx.database.sql, phone, input.body, input.senderId);
  if (!row) throw await refusal(ctx, phone, input.senderId);
  // identity values stay below 2^53
  const id = Number(row.id);
  const [message] = await ctx.database.db.select().from(messages).where(eq(messages.id, id));
  if (!message) throw new Error(`message ${row.id} vanished after its insert`);
  return toMessageJson(message);
}

/**
 * Why nothing was inserted: the opt-out first, since an open window would not help it; then a
 * window open with other senders than the one named, which the message names.
 */
async function refusal(
  ctx: AppContext,
  phone: string,
  senderId: string | undefined,
): Promise<AppError> {
  const [optOut] = await ctx.database.db
    .select({ phone: optOuts.phone })
    .from(optOuts)
    .where(eq(optOuts.phone, phone));
  if (optOut) {
    return new AppError(
      'opted_out',
      `${phone} has opted out: nothing is sent to it until it is opted back in (DELETE /v1/opt-outs/{phone})`,
    );
  }
  const open = senderId ? await openWindowSenders(ctx.database.sql, phone) : [];
  if (open.length > 0) {
    const names = open.map((s) => `${s.name} (${s.id})`).join(', ');
    return new AppError(
      'window_closed',
      `${phone} has no open conversation window with sender ${senderId}: its window is open with ${names}; answer through that sender, or leave senderId out`,
    );
  }
  return new AppError(
    'window_closed',
    `${phone} has no open conversation window: free-form messages go only to phones that wrote in the last 24 hours`,
  );
}
