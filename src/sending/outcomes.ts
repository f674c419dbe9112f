import type { Sql } from '../db/client';
import type { SendOutcome } from '../provider/types';

/** What a send's outcome does to its message row. */
export type RowUpdate = {
  id: number;
  status: 'sent' | 'failed' | 'pending' | 'unknown';
  providerMessageId: string | null;
  error: string | null;
  /** When a `pending` row may be tried again. */
  retryAt: Date | null;
  /** A 429 or a 401 is not an attempt of this message: the provider refused the account. */
  refundAttempt: boolean;
};

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/** Exponential backoff with jitter: 1 s, 2 s, 4 s… (each between half and all of it), ≤ 60 s. */
export function backoffMs(attempts: number, random = Math.random): number {
  const full = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(full * (0.5 + random() * 0.5));
}

/**
 * Decides the row's next state (docs/design.md, rule 13): only what the provider provably did
 * not take is tried again, up to `maxAttempts`; what it may have taken is `unknown`, for an
 * operator.
 */
export function decide(
  id: number,
  outcome: SendOutcome,
  attempts: number,
  maxAttempts: number,
  now = Date.now(),
  random = Math.random,
): RowUpdate {
  const base = { id, providerMessageId: null, error: null, retryAt: null, refundAttempt: false };
  switch (outcome.kind) {
    case 'accepted':
      return { ...base, status: 'sent', providerMessageId: outcome.providerMessageId };
    case 'refused':
      return { ...base, status: 'failed', error: outcome.reason };
    case 'unknown':
      return { ...base, status: 'unknown', error: outcome.reason };
    case 'auth':
      return { ...base, status: 'pending', error: outcome.reason, refundAttempt: true };
    case 'retryable': {
      if (outcome.rateLimited) {
        // Never counted as a failure: the row waits for Retry-After (or a second) and keeps its attempts.
        const wait = outcome.retryAfterMs ?? 1000;
        return {
          ...base,
          status: 'pending',
          error: outcome.reason,
          retryAt: new Date(now + wait),
          refundAttempt: true,
        };
      }
      if (attempts >= maxAttempts) {
        return {
          ...base,
          status: 'failed',
          error: `${outcome.reason}; gave up after ${attempts} attempts`,
        };
      }
      const wait = Math.max(outcome.retryAfterMs ?? 0, backoffMs(attempts, random));
      return { ...base, status: 'pending', error: outcome.reason, retryAt: new Date(now + wait) };
    }
  }
}

/**
 * Stores a batch of outcomes in one statement. A row is only touched while it is `sending` (or
 * `unknown`: a real outcome beats a guess made when its worker looked dead).
 */
export async function writeOutcomes(sql: Sql, updates: RowUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await sql`
    update messages m set
      status = v.status::message_status,
      provider_message_id = coalesce(v.provider_id, m.provider_message_id),
      error = v.error,
      attempts = m.attempts - v.refund,
      next_attempt_at = v.retry_at,
      sent_at = case when v.status = 'sent' then now() else m.sent_at end,
      failed_at = case when v.status = 'failed' then now() else m.failed_at end,
      sending_by = null,
      updated_at = now()
    from unnest(
      ${updates.map((u) => u.id)}::bigint[],
      ${updates.map((u) => u.status)}::text[],
      ${updates.map((u) => u.providerMessageId)}::text[],
      ${updates.map((u) => u.error)}::text[],
      ${updates.map((u) => u.retryAt?.toISOString() ?? null)}::text[]::timestamptz[],
      ${updates.map((u) => (u.refundAttempt ? 1 : 0))}::int[]
    ) as v(id, status, provider_id, error, retry_at, refund)
    where m.id = v.id and m.status in ('sending', 'unknown')`;
}
