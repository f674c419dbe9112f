import type { AppContext } from '../context';
import type { Logger } from '../logger';
import { showSenderStatuses } from '../metrics';

/**
 * Why a sender whose token the provider refused is held, and what to check: the environment's
 * variable for the default sender (WHATSAPP_ACCESS_TOKEN or CHAT_API_TOKEN, then a restart),
 * else its credentials (PATCH /v1/senders/{id}).
 */
export function authFailedReason(
  sender: { isDefault: boolean; kind: 'chat-api' | 'cloud-api' | 'sandbox' },
  code: number | undefined,
): string {
  const check = sender.isDefault
    ? sender.kind === 'cloud-api'
      ? 'WHATSAPP_ACCESS_TOKEN'
      : 'CHAT_API_TOKEN'
    : 'its credentials';
  return `the provider refused the token (401${code === undefined ? '' : `, code ${code}`}): check ${check}`;
}

/**
 * Holds a sender that may not send (docs/design.md, rule 32): `auth_failed` (its token refused)
 * or `paused` (Meta holds the number), with the reason, until its credentials are replaced or it
 * is resumed. Only an active sender changes (whoever sees it first writes it), and that one
 * change is shown in the metrics, counted as an automatic pause and logged as an error. The
 * dispatch (sender.ts) and the template sync (src/templates/sync-templates.ts) hold through it.
 * Answers whether this call held it.
 */
export async function holdSender(
  ctx: AppContext,
  log: Logger,
  senderId: string,
  status: 'auth_failed' | 'paused',
  reason: string,
): Promise<boolean> {
  if (!(await ctx.senders.hold(senderId, status, reason))) return false;
  showSenderStatuses(ctx.metrics, [{ id: senderId, status }], false);
  ctx.metrics.autoPauses.inc({ reason: status === 'auth_failed' ? 'auth' : 'sender' });
  log.error({ senderId, reason }, `sender ${status}: it sends nothing until fixed`);
  return true;
}
