import { z } from '@hono/zod-openapi';
import { desc, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { contacts, optOuts } from '../db/schema';
import { AppError } from '../errors';
import { BigintKey, decodeCursor, toPage } from '../http/pagination';
import { normalizePhone } from './phone';
import type { OptOut } from './schemas';

type Row = typeof optOuts.$inferSelect;
const toOptOut = (row: Row): OptOut => ({
  phone: row.phone,
  contactId: row.contactId,
  optedOutAt: row.optedOutAt.toISOString(),
  source: row.source,
});

/** Phones in requests are normalised like imports, so `+7 999…` and `7999…` are one opt-out. */
function phoneOf(ctx: AppContext, raw: string, path: string): string {
  const result = normalizePhone(raw, ctx.config.DEFAULT_COUNTRY);
  if (!result.ok) {
    throw new AppError(
      'validation_failed',
      `${raw} is not a possible phone number: ${result.reason}`,
      [{ path, message: result.reason }],
    );
  }
  return result.e164;
}

/** Newest first; the cursor keeps the time to the microsecond, then the phone. */
export async function listOptOuts(ctx: AppContext, page: { cursor?: string; limit: number }) {
  const after = decodeCursor(page.cursor, OptOutCursor);
  const micros = sql<string>`(extract(epoch from ${optOuts.optedOutAt}) * 1000000)::bigint::text`;
  const rows = await ctx.database.db
    .select({ row: optOuts, micros })
    .from(optOuts)
    .where(
      after
        ? sql`(${optOuts.optedOutAt}, ${optOuts.phone}) < (timestamptz 'epoch' + ${after[0]}::bigint * interval '1 microsecond', ${after[1]})`
        : undefined,
    )
    .orderBy(desc(optOuts.optedOutAt), desc(optOuts.phone))
    .limit(page.limit + 1);
  return toPage(
    rows,
    page.limit,
    ({ row }) => toOptOut(row),
    ({ row, micros: m }) => [m, row.phone],
  );
}

const OptOutCursor = z.tuple([BigintKey, z.string()]);

/** Idempotent: `created` is false when the phone was already opted out (kept as it was). */
export async function addOptOut(
  ctx: AppContext,
  rawPhone: string,
  source: 'api' | 'keyword' | 'provider' = 'api',
): Promise<{ optOut: OptOut; created: boolean }> {
  const phone = phoneOf(ctx, rawPhone, 'phone');
  const [contact] = await ctx.database.db
    .select({ id: contacts.id })
    .from(contacts)
    .where(eq(contacts.phone, phone));
  const [inserted] = await ctx.database.db
    .insert(optOuts)
    .values({ phone, contactId: contact?.id ?? null, source })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { optOut: toOptOut(inserted), created: true };
  const [existing] = await ctx.database.db.select().from(optOuts).where(eq(optOuts.phone, phone));
  if (!existing) throw new Error(`opt-out of ${phone} vanished while being read`);
  return { optOut: toOptOut(existing), created: false };
}

export async function removeOptOut(ctx: AppContext, rawPhone: string): Promise<void> {
  const phone = phoneOf(ctx, rawPhone, 'phone');
  const deleted = await ctx.database.db.delete(optOuts).where(eq(optOuts.phone, phone)).returning();
  if (deleted.length === 0) throw new AppError('not_found', `${phone} is not opted out`);
}
