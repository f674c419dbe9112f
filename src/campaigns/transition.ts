import { eq } from 'drizzle-orm';
import { campaigns } from '../db/schema';
import type { Builder } from '../db/transaction';
import { AppError } from '../errors';

/**
 * Why a conditional update changed nothing: the campaign does not exist (404), or its state
 * forbids the action (409 `invalid_transition`, naming the state it is in).
 */
export async function transitionError(
  db: Builder,
  id: string,
  action: string,
  allowed: string,
): Promise<AppError> {
  const [row] = await db
    .select({ status: campaigns.status })
    .from(campaigns)
    .where(eq(campaigns.id, id));
  if (!row) return AppError.notFound('Campaign', id);
  return new AppError(
    'invalid_transition',
    `cannot ${action} campaign ${id}: it is ${row.status}, and ${action} needs ${allowed}`,
  );
}
