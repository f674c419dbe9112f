import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AppContext } from '../context';
import { runs, templates } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { parametersProblems } from './body-parameters';
import { type ComponentParameters, componentParametersProblems } from './component-parameters';
import type { Template, UpdateTemplate } from './schemas';
import { toTemplate } from './template-json';

/**
 * PATCH /v1/templates/{id} `{parameters, headerParameter, buttonParameters}`: how each body
 * parameter, the header's and the buttons' are filled per contact. They must fit the template
 * (a synced one's: the count of a positional body, the names of a named one, a header or button
 * that takes a value; one made by hand: a list, no header, no button), else a 422 naming what
 * does not fit. A header or button left unset is not refused here (a campaign's start is). A
 * template whose run is in progress keeps its parameters (409): a run's audience is rendered
 * batch by batch, and would mix two ways of filling them (docs/design.md, rule 9).
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
    const { parameters, headerParameter, buttonParameters } = input;
    if (parameters === undefined && headerParameter === undefined && buttonParameters === undefined)
      return template;
    const componentParameters: ComponentParameters = { ...template.componentParameters };
    if (headerParameter === null) delete componentParameters.header;
    else if (headerParameter !== undefined) componentParameters.header = headerParameter;
    if (buttonParameters !== undefined) {
      if (buttonParameters.length === 0) delete componentParameters.buttons;
      else componentParameters.buttons = buttonParameters;
    }
    const problems = [
      ...(parameters === undefined ? [] : parametersProblems(template, parameters)),
      // only what this request sets: values set before and made stale by a sync are the start's
      ...componentParametersProblems(
        template,
        {
          ...(headerParameter ? { header: headerParameter } : {}),
          ...(buttonParameters ? { buttons: buttonParameters } : {}),
        },
        false,
      ),
    ];
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
      .set({ ...(parameters === undefined ? {} : { parameters }), componentParameters })
      .where(eq(templates.id, id))
      .returning();
    if (!updated) throw new Error(`template ${id} vanished under its row lock`);
    return updated;
  });
  return toTemplate(row);
}
