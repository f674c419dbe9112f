import { and, desc, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, senders } from '../db/schema';
import { type Builder, transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';

/** Campaigns past these send nothing more, so the sender they name may go. */
const FINISHED: ('completed' | 'cancelled')[] = ['completed', 'cancelled'];

/**
 * Soft delete (docs/design.md, rule 31): finished campaigns keep naming it; its credentials are
 * wiped, nothing needs them any more. A 409 for the default sender (the environment's) and while
 * a campaign not finished uses it, drafts included: a draft would be left on a number that is
 * gone. The row lock serialises this with a campaign created or moved onto the sender
 * (checkReferences takes `FOR SHARE`).
 */
export async function deleteSender(ctx: AppContext, id: string): Promise<void> {
  assertUuid(id, 'Sender');
  await transaction(ctx.database, async ({ db }) => {
    const [sender] = await db
      .select({ isDefault: senders.isDefault })
      .from(senders)
      .where(and(eq(senders.id, id), isNull(senders.deletedAt)))
      .for('update');
    if (!sender) throw AppError.notFound('Sender', id);
    if (sender.isDefault) {
      throw new AppError(
        'conflict',
        `sender ${id} is the default sender, which comes from the environment; it cannot be deleted`,
      );
    }
    const [user] = await campaignsSendingThrough(db, id, 1);
    if (user) {
      throw new AppError(
        'conflict',
        `sender ${id} is used by campaign ${user.id}, which is ${user.status}: move it to another sender or cancel it first`,
      );
    }
    await db
      .update(senders)
      .set({ deletedAt: sql`now()`, credentials: null, updatedAt: sql`now()` })
      .where(eq(senders.id, id));
  });
}

/**
 * The campaigns not finished that send through a sender, newest first, at most `limit`: what
 * keeps it from being deleted, named on the console's confirmation page.
 */
export function campaignsSendingThrough(db: Builder, senderId: string, limit: number) {
  return db
    .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status })
    .from(campaigns)
    .where(and(eq(campaigns.senderId, senderId), notInArray(campaigns.status, FINISHED)))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(limit);
}
