import { and, desc, eq, getTableColumns, gte, lt } from 'drizzle-orm';
import type { AppContext } from '../context';
import { microsOf, olderThan } from '../db/keyset';
import { auditEvents } from '../db/schema';
import { decodeCursor, toPage } from '../http/pagination';
import { type AuditEvent, AuditKey, type AuditPage, type AuditQuery } from './schemas';

type Row = typeof auditEvents.$inferSelect;

function toAuditEvent(row: Row): AuditEvent {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: {
      kind: row.actorKind,
      ...(row.userId ? { userId: row.userId } : {}),
      ...(row.tokenId ? { tokenId: row.tokenId } : {}),
      ...(row.email ? { email: row.email } : {}),
    },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    detail: (row.detail ?? {}) as Record<string, unknown>,
  };
}

/**
 * The audit trail, newest first, keyset-paginated on (at, id) (the audit_events_at_idx order;
 * with `action`, audit_events_action_idx), within [from, to) when given.
 */
export async function listAudit(ctx: AppContext, query: AuditQuery): Promise<AuditPage> {
  const after = decodeCursor(query.cursor, AuditKey);
  const rows = await ctx.database.db
    .select({ ...getTableColumns(auditEvents), micros: microsOf(auditEvents.at) })
    .from(auditEvents)
    .where(
      and(
        query.from === undefined ? undefined : gte(auditEvents.at, new Date(query.from)),
        query.to === undefined ? undefined : lt(auditEvents.at, new Date(query.to)),
        query.action === undefined ? undefined : eq(auditEvents.action, query.action),
        olderThan(auditEvents.at, auditEvents.id, after, 'bigint'),
      ),
    )
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, toAuditEvent, (row) => [row.micros, String(row.id)]);
}
