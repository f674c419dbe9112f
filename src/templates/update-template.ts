import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AppContext } from '../context';
import { runs, templates } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { parametersProblems } from './body-parameters';
import type { Template, UpdateTemplate } from './schemas';
import { toTemplate } from './template-json';

/**
 * PATCH /v1/templates/{id} `{parameters}`: how each body parameter is filled per contact. They
 * must fit the template's body (a synced one's: the count of a positional body, the names of a
 * named one; one made by hand: a list), else a 422 naming what does not fit. A template whose run
 * is in progress keeps its parameters (409): a run's audience is rendered batch by batch, and
 * would mix two ways of filling them (docs/design.md, rule 9).
 */
export async function updateTemplate(
  ctx: AppContext,
  id: string,
  input: UpdateTemplate,
): Promise<Template> {
  assertUuid(id, 'Template');
  const row = await transaction(ctx.database, async ({ db }) => {
    const [template] = await db
      .select()
      .from(templates)
      .where(and(eq(templates.id, id), isNull(templates.deletedAt)))
      .for('update');
    if (!template) throw AppError.notFound('Template', id);
    const { parameters } = input;
    if (parameters === undefined) return template;
    const problems = parametersProblems(template, parameters);
    if (problems.length > 0) {
      throw new AppError(
        'validation_failed',
        problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '),
        problems,
      );
    }
    const [active] = await db
      .select({ id: runs.id, campaignId: runs.campaignId })
      .from(runs)
      .where(and(eq(runs.templateId, id), inArray(runs.status, ['running', 'paused'])))
      .limit(1);
    if (active) {
      throw new AppError(
        'conflict',
        `template ${id} is being sent by run ${active.id} of campaign ${active.campaignId}: change its parameters once that run has ended (or cancel it)`,
      );
    }
    const [updated] = await db
      .update(templates)
      .set({ parameters })
      .where(eq(templates.id, id))
      .returning();
    if (!updated) throw new Error(`template ${id} vanished under its row lock`);
    return updated;
  });
  return toTemplate(row);
}
