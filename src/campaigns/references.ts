import { and, eq, inArray, isNull } from 'drizzle-orm';
import { lists, templates } from '../db/schema';
import type { Builder } from '../db/transaction';
import { AppError, type FieldError } from '../errors';

/**
 * A campaign's template must exist and not be deleted, its lists must exist: a 422 naming each
 * offending path. The template row is locked `FOR SHARE` until the caller's transaction ends, so
 * that a concurrent delete-template waits and then sees this campaign.
 */
export async function checkReferences(
  db: Builder,
  refs: { templateId?: string; listIds?: string[] },
): Promise<void> {
  const errors: FieldError[] = [];
  if (refs.templateId !== undefined) {
    const [template] = await db
      .select({ id: templates.id })
      .from(templates)
      .where(and(eq(templates.id, refs.templateId), isNull(templates.deletedAt)))
      .for('share');
    if (!template) errors.push({ path: 'templateId', message: 'no such template' });
  }
  if (refs.listIds !== undefined) {
    const found = await db
      .select({ id: lists.id })
      .from(lists)
      .where(inArray(lists.id, refs.listIds));
    const known = new Set(found.map((row) => row.id));
    refs.listIds.forEach((id, index) => {
      if (!known.has(id)) errors.push({ path: `listIds.${index}`, message: 'no such list' });
    });
  }
  if (errors.length > 0) {
    throw new AppError(
      'validation_failed',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
}
