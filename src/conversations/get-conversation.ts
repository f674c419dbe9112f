import { normalizePhone } from '../contacts/phone';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { findConversation } from './list-conversations';
import type { Conversation } from './schemas';

/**
 * GET /v1/conversations/{phone}: the phone's conversation (its window, whether it is open, the
 * contact's name…), 404 when the phone never wrote; an impossible phone is a 400, as for its
 * thread.
 */
export async function getConversation(ctx: AppContext, rawPhone: string): Promise<Conversation> {
  const normalized = normalizePhone(rawPhone, ctx.config.DEFAULT_COUNTRY);
  if (!normalized.ok) {
    throw new AppError('bad_request', `${rawPhone} is not a possible phone number`, [
      { path: 'param.phone', message: normalized.reason },
    ]);
  }
  const conversation = await findConversation(ctx, normalized.e164);
  if (!conversation)
    throw new AppError('not_found', `${normalized.e164} has never written: it has no conversation`);
  return conversation;
}
