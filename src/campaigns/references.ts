import type { TransactionSql } from 'postgres';
import { AppError, type FieldError } from '../errors';

/**
 * A campaign's template must exist and not be deleted, its lists must exist: a 422 naming each
 * offending path. The template row is locked `FOR SHARE` until the caller's transaction ends, so
 * that a concurrent delete-template waits and then sees this campaign.
 */
export async function checkReferences(
  tx: TransactionSql,
  refs: { templateId?: string; listIds?: string[] },
): Promise<void> {
  const errors: FieldError[] = [];
  if (refs.templateId !== undefined) {
    const [template] = await tx<{ id: string }[]>`
      select id from templates where id = ${refs.templateId} and deleted_at is null for share`;
    if (!template) errors.push({ path: 'templateId', message: 'no such template' });
  }
  if (refs.listIds !== undefined) {
    const found = await tx<
      { id: string }[]
    >`select id from lists where id = any(${refs.listIds}::uuid[])`;
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
