import type { AppContext } from '../context';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';

/**
 * Soft delete: finished campaigns keep pointing at it. The row lock serialises this with a
 * campaign being created on the template (create-campaign takes `FOR SHARE`), so a delete never
 * slips in between that campaign's check and its insert.
 */
export async function deleteTemplate(ctx: AppContext, id: string): Promise<void> {
  assertUuid(id, 'Template');
  await ctx.database.sql.begin(async (tx) => {
    const [template] = await tx<{ id: string }[]>`
      select id from templates where id = ${id} and deleted_at is null for update`;
    if (!template) throw AppError.notFound('Template', id);
    // A run keeps the template it was opened with, even if its paused campaign moved on.
    const [user] = await tx<{ id: string; status: string }[]>`
      select id, status from campaigns
      where (template_id = ${id} and status not in ('completed', 'cancelled'))
        or id in (select campaign_id from runs
          where template_id = ${id} and status in ('running', 'paused'))
      limit 1`;
    if (user) {
      throw new AppError(
        'conflict',
        `template ${id} is used by campaign ${user.id}, which is ${user.status}`,
      );
    }
    await tx`update templates set deleted_at = now() where id = ${id}`;
  });
}
