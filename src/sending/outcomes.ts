import type { SendOutcome } from '../provider/types';
import type { RowUpdate } from './queries';

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/** Exponential backoff with jitter: 1 s, 2 s, 4 s… (each between half and all of it), ≤ 60 s. */
export function backoffMs(attempts: number, random = Math.random): number {
  const full = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(full * (0.5 + random() * 0.5));
}

/** The least wait before a recipient over Meta's pair rate (about one message per 6 s) is tried again. */
const PAIR_RATE_WAIT_MS = 6000;

/**
 * Decides the row's next state (docs/design.md, rule 13): only what the provider provably did
 * not take is tried again, up to `maxAttempts`; what it may have taken is `unknown`, for an
 * operator. The Cloud API's kinds (docs/providers.md) map onto the same statuses: a template or
 * sender problem hands the row back, as a 401 does (the campaign pauses or the sender is held,
 * and the row goes once that is fixed); a holdout is `held_out`, recorded and not a failure.
 * Meta's code and title of a refusal are kept on the row whatever its state.
 */
export function decide(
  id: number,
  outcome: SendOutcome,
  attempts: number,
  maxAttempts: number,
  now = Date.now(),
  random = Math.random,
): RowUpdate {
  const update = nextState(id, outcome, attempts, maxAttempts, now, random);
  if (outcome.kind === 'accepted' || !outcome.error) return update;
  return { ...update, errorCode: outcome.error.code, errorTitle: outcome.error.title };
}

function nextState(
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
    case 'template':
    case 'sender':
      return { ...base, status: 'pending', error: outcome.reason, refundAttempt: true };
    case 'holdout':
      return { ...base, status: 'held_out', error: outcome.reason };
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
      // One recipient over the pair rate waits at least the pair's spacing, backing off further
      // with each attempt; the attempts count, so a recipient limited for good ends `failed`.
      const least = outcome.recipientLimited ? PAIR_RATE_WAIT_MS : 0;
      const wait = Math.max(outcome.retryAfterMs ?? 0, least, backoffMs(attempts, random));
      return { ...base, status: 'pending', error: outcome.reason, retryAt: new Date(now + wait) };
    }
  }
}
