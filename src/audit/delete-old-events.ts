import { asc, inArray, lt, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { auditEvents } from '../db/schema';

/** Events deleted per statement: a deletion never holds many row locks for long. */
const BATCH = 10_000;

/**
 * Housekeeping: the audit events older than AUDIT_RETENTION_DAYS (docs/design.md, rule 30), a
 * batch at a time, oldest first along audit_events_at_idx. Answers how many went.
 */
export async function deleteOldAuditEvents(ctx: AppContext, batch = BATCH): Promise<number> {
  const { db } = ctx.database;
  const cutoff = sql`now() - make_interval(days => ${ctx.config.AUDIT_RETENTION_DAYS})`;
  let total = 0;
  for (;;) {
    const old = db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(lt(auditEvents.at, cutoff))
      .orderBy(asc(auditEvents.at))
      .limit(batch);
    const deleted = await db
      .delete(auditEvents)
      .where(inArray(auditEvents.id, old))
      .returning({ id: auditEvents.id });
    total += deleted.length;
    if (deleted.length < batch) return total;
  }
}
