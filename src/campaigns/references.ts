import { and, eq, inArray, isNull } from 'drizzle-orm';
import { lists, senders, templates } from '../db/schema';
import type { Builder } from '../db/transaction';
import { AppError, type FieldError } from '../errors';

/**
 * A campaign's template and sender must exist and not be deleted, its lists must exist: a 422
 * naming each offending path. The template and sender rows are locked `FOR SHARE` until the
 * caller's transaction ends, so that a concurrent delete waits and then sees this campaign.
 */
export async function checkReferences(
  db: Builder,
  refs: { templateId?: string; listIds?: string[]; senderId?: string },
): Promise<void> {
  const errors: FieldError[] = [];
  if (refs.senderId !== undefined) {
    const [sender] = await db
      .select({ id: senders.id })
      .from(senders)
      .where(and(eq(senders.id, refs.senderId), isNull(senders.deletedAt)))
      .for('share');
    if (!sender) errors.push({ path: 'senderId', message: 'no such sender' });
  }
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
