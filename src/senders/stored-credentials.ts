import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { senders } from '../db/schema';
import type { Logger } from '../logger';
import type { Secrets } from '../secrets';
import { CredentialsUnreadable } from './credentials-cipher';

/** The start of the statusReason of a sender whose credentials do not open. */
export const UNREADABLE_CREDENTIALS = 'Its stored credentials cannot be read';

/**
 * At every start (docs/design.md, rule 32): without a key (an external database without
 * SECRETS_KEY), stored credentials refuse the start, with what to do. With one, every stored
 * set is opened: a sender whose set does not open (another key, an altered blob) becomes
 * auth_failed, saying why, and the service starts for the others: a wrong key is never a crash
 * loop. One that opens again (the right key is back) is active again.
 */
export async function checkStoredCredentials(
  db: Db,
  secrets: Secrets,
  logger: Logger,
): Promise<void> {
  const stored = await db
    .select({
      id: senders.id,
      credentials: senders.credentials,
      status: senders.status,
      statusReason: senders.statusReason,
    })
    .from(senders)
    .where(and(isNotNull(senders.credentials), isNull(senders.deletedAt)));
  const key = secrets.credentialsKey;
  if (!key) {
    if (stored.length === 0) return;
    throw new Error(
      `SECRETS_KEY is not set, but ${stored.length} sender(s) have credentials stored under it: set SECRETS_KEY to the key they were stored with, on every process`,
    );
  }
  for (const sender of stored) {
    if (!sender.credentials) continue;
    let problem: CredentialsUnreadable | undefined;
    try {
      key.open(sender.id, sender.credentials);
    } catch (error) {
      if (!(error instanceof CredentialsUnreadable)) throw error;
      problem = error;
    }
    const markedUnreadable = sender.statusReason?.startsWith(UNREADABLE_CREDENTIALS) === true;
    if (problem) {
      const statusReason = `${UNREADABLE_CREDENTIALS}: ${problem.message}. Replace them (PATCH /v1/senders/${sender.id}), or start with the SECRETS_KEY they were stored under.`;
      if (sender.status === 'auth_failed' && sender.statusReason === statusReason) continue;
      await db
        .update(senders)
        .set({ status: 'auth_failed', statusReason, updatedAt: sql`now()` })
        .where(eq(senders.id, sender.id));
      logger.error(
        { senderId: sender.id, reason: problem.reason },
        'a sender is unusable: its stored credentials cannot be read',
      );
    } else if (sender.status === 'auth_failed' && markedUnreadable) {
      await db
        .update(senders)
        .set({ status: 'active', statusReason: null, updatedAt: sql`now()` })
        .where(eq(senders.id, sender.id));
      logger.info({ senderId: sender.id }, "a sender's stored credentials can be read again");
    }
  }
}
