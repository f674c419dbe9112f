import type { SendOutcome } from '../provider/types';
import type { RowUpdate } from './queries';

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
