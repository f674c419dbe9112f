import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { senders } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { numberTaken } from './create-sender';
import { parseCredentials, sealCredentials } from './credentials';
import type { Sender, UpdateSender } from './schemas';
import { senderColumns, toSender } from './sender-json';

/** What the environment sets on the default sender at every start (default-sender.ts). */
const FROM_ENVIRONMENT = {
  credentials: 'CHAT_API_URL and CHAT_API_TOKEN, or the WHATSAPP_ variables',
  ratePerSecond: 'SEND_RATE_PER_SECOND',
  messagingLimit24h: 'MESSAGING_LIMIT_24H',
} as const;

/**
 * Renames a sender, changes its pace or 24-hour limit, pauses or resumes it, or replaces its
 * credentials as a whole set (docs/design.md, rule 31). New credentials bring an auth_failed
 * sender back to active: they are what its failure asked for. What the environment sets on the
 * default sender is a 409 here: the next start would undo it.
 */
export async function updateSender(
  ctx: AppContext,
  id: string,
  change: UpdateSender,
): Promise<Sender> {
  assertUuid(id, 'Sender');
  return transaction(ctx.database, async ({ db }) => {
    const [current] = await db
      .select({ provider: senders.provider, isDefault: senders.isDefault, status: senders.status })
      .from(senders)
      .where(and(eq(senders.id, id), isNull(senders.deletedAt)))
      .for('update');
    if (!current) throw AppError.notFound('Sender', id);
    if (current.isDefault) assertNotFromEnvironment(change);
    const parsed =
      change.credentials === undefined
        ? undefined
        : parseCredentials(current.provider, change.credentials);
    const cloud = parsed?.provider === 'cloud-api' ? parsed.credentials : undefined;
    // Replaced credentials end an auth failure; a status asked for wins over that.
    const status =
      change.status ?? (parsed && current.status === 'auth_failed' ? 'active' : undefined);
    const [row] = await db
      .update(senders)
      .set({
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.ratePerSecond === undefined ? {} : { ratePerSecond: change.ratePerSecond }),
        ...(change.messagingLimit24h === undefined
          ? {}
          : { messagingLimit24h: change.messagingLimit24h }),
        ...(change.displayPhoneNumber === undefined
          ? {}
          : { displayPhoneNumber: change.displayPhoneNumber }),
        ...(status === undefined || status === current.status
          ? {}
          : { status, statusReason: null }),
        ...(parsed === undefined
          ? {}
          : {
              credentials: sealCredentials(ctx.secrets, id, parsed),
              ...(cloud
                ? { phoneNumberId: cloud.phoneNumberId, businessAccountId: cloud.businessAccountId }
                : {}),
            }),
        updatedAt: sql`now()`,
      })
      .where(eq(senders.id, id))
      .returning(senderColumns)
      .catch((error: unknown) => {
        if (cloud && isUniqueViolation(error)) throw numberTaken(cloud.phoneNumberId);
        throw error;
      });
    if (!row) throw AppError.notFound('Sender', id);
    return toSender(row);
  });
}

function assertNotFromEnvironment(change: UpdateSender): void {
  const fields = (Object.keys(FROM_ENVIRONMENT) as (keyof typeof FROM_ENVIRONMENT)[]).filter(
    (field) => change[field] !== undefined,
  );
  if (fields.length === 0) return;
  throw new AppError(
    'conflict',
    `The default sender's ${fields.join(', ')} come from the environment (${fields.map((f) => FROM_ENVIRONMENT[f]).join('; ')}): change them there and restart.`,
    fields.map((field) => ({ path: field, message: `is set by ${FROM_ENVIRONMENT[field]}` })),
  );
}

function isUniqueViolation(error: unknown): boolean {
  const cause = error instanceof Error && 'cause' in error ? error.cause : error;
  return typeof cause === 'object' && cause !== null && 'code' in cause && cause.code === '23505';
}
