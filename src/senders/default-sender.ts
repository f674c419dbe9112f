import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { senders } from '../db/schema';
import type { Logger } from '../logger';
import { environmentCredentials } from './credentials';

/**
 * Keeps the default sender in step with the environment (docs/design.md, rule 31), at every
 * start and under an advisory lock, so that processes starting together agree: its provider
 * (CHAT_API_* → chat-api, WHATSAPP_* → cloud-api, neither → sandbox), its Cloud API ids, its pace
 * (SEND_RATE_PER_SECOND) and limit (MESSAGING_LIMIT_24H). Its credentials stay in the
 * environment, never in the table. An auth_failed default sender is active again: a restart is
 * how its credentials are replaced. Its name and a pause are the admins', and kept.
 */
export async function keepDefaultSender(db: Db, config: Config, logger: Logger): Promise<void> {
  const { provider, credentials } = environmentCredentials(config);
  const cloud = provider === 'cloud-api' ? credentials : undefined;
  const wanted = {
    provider,
    ratePerSecond: config.SEND_RATE_PER_SECOND,
    messagingLimit24h: config.MESSAGING_LIMIT_24H ?? null,
    phoneNumberId: cloud?.phoneNumberId ?? null,
    businessAccountId: cloud?.businessAccountId ?? null,
    credentials: null,
  };
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('default-sender'))`);
    if (wanted.phoneNumberId) {
      const [owner] = await tx
        .select({ id: senders.id })
        .from(senders)
        .where(
          and(
            eq(senders.phoneNumberId, wanted.phoneNumberId),
            eq(senders.isDefault, false),
            isNull(senders.deletedAt),
          ),
        );
      if (owner) {
        throw new Error(
          `WHATSAPP_PHONE_NUMBER_ID ${wanted.phoneNumberId} is the number of sender ${owner.id}: delete that sender, or name another number for the default sender`,
        );
      }
    }
    const [current] = await tx
      .select()
      .from(senders)
      .where(eq(senders.isDefault, true))
      .for('update');
    if (!current) {
      await tx.insert(senders).values({ name: 'Default', isDefault: true, ...wanted });
      logger.info({ provider }, 'created the default sender from the environment');
      return;
    }
    const status = current.status === 'auth_failed' ? 'active' : current.status;
    const inStep =
      current.status === status &&
      current.credentials === null &&
      (Object.keys(wanted) as (keyof typeof wanted)[]).every(
        (field) => current[field] === wanted[field],
      );
    if (inStep) return;
    await tx
      .update(senders)
      .set({
        ...wanted,
        ...(status === current.status ? {} : { status, statusReason: null }),
        updatedAt: sql`now()`,
      })
      .where(eq(senders.id, current.id));
    logger.info({ provider, senderId: current.id }, 'the default sender follows the environment');
  });
}
