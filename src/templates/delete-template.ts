import { and, eq, inArray, isNull, notInArray, or, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, runs, templates } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';

/**
 * Soft delete: finished campaigns keep pointing at it. The row lock serialises this with a
 * campaign being created on the template (create-campaign takes `FOR SHARE`), so a delete never
 * slips in between that campaign's check and its insert.
 */
export async function deleteTemplate(ctx: AppContext, id: string): Promise<void> {
  assertUuid(id, 'Template');
  await transaction(ctx.database, async ({ db }) => {
    const [template] = await db
      .select({ id: templates.id })
      .from(templates)
      .where(and(eq(templates.id, id), isNull(templates.deletedAt)))
      .for('update');
    if (!template) throw AppError.notFound('Template', id);
    // A run keeps the template it was opened with, even if its paused campaign moved on.
    const activeRuns = db
      .select({ campaignId: runs.campaignId })
      .from(runs)
      .where(and(eq(runs.templateId, id), inArray(runs.status, ['running', 'paused'])));
    const [user] = await db
      .select({ id: campaigns.id, status: campaigns.status })
      .from(campaigns)
      .where(
        or(
          and(
            eq(campaigns.templateId, id),
            notInArray(campaigns.status, ['completed', 'cancelled']),
          ),
          inArray(campaigns.id, activeRuns),
        ),
      )
      .limit(1);
    if (user) {
      throw new AppError(
        'conflict',
        `template ${id} is used by campaign ${user.id}, which is ${user.status}`,
      );
    }
    await db.update(templates).set({ deletedAt: sql`now()` }).where(eq(templates.id, id));
  });
}
