import type postgres from 'postgres';

type Runner = postgres.Sql | postgres.TransactionSql;

/**
 * The end of a phone's free conversation window (E.164 phone), or null when it never wrote.
 * For the dispatcher: a follow-up or manual message whose window has closed is `expired`.
 */
export async function windowExpiresAt(sql: Runner, phone: string): Promise<Date | null> {
  const [row] = await sql<{ ms: number }[]>`
    select extract(epoch from window_expires_at)::float8 * 1000 as ms
    from conversations where phone = ${phone}`;
  return row ? new Date(row.ms) : null;
}

/** Whether the phone's window is open now, by PostgreSQL's clock (one clock for all processes). */
export async function isWindowOpen(sql: Runner, phone: string): Promise<boolean> {
  const [row] = await sql<{ open: boolean }[]>`
    select window_expires_at > now() as open from conversations where phone = ${phone}`;
  return row?.open ?? false;
}
