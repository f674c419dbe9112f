import type { SendOutcome } from './types';

const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

/** Reads `Retry-After` (seconds or an HTTP date) into milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** Classifies an HTTP answer of `sendTemplate` or `message`. */
export function classifyAnswer(
  status: number,
  body: unknown,
  retryAfter: string | null,
): SendOutcome {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message =
    typeof answer.message === 'string'
      ? answer.message
      : typeof answer.error === 'string'
        ? answer.error
        : '';
  if (status === 401)
    return { kind: 'auth', reason: message || 'the provider refused the token (401)' };
  if (status === 429) {
    return {
      kind: 'retryable',
      reason: 'rate limited (429)',
      rateLimited: true,
      retryAfterMs: retryAfterMs(retryAfter),
    };
  }
  if (status >= 500) {
    return {
      kind: 'retryable',
      reason: `provider error ${status}`,
      rateLimited: false,
      retryAfterMs: retryAfterMs(retryAfter),
    };
  }
  if (status >= 400) return { kind: 'refused', reason: message || `refused with status ${status}` };
  if (status >= 200 && status < 300) {
    if (answer.sent === true && typeof answer.id === 'string' && answer.id.length > 0) {
      return { kind: 'accepted', providerMessageId: answer.id };
    }
    if (answer.sent === false)
      return { kind: 'refused', reason: message || 'the provider did not send it' };
    // 2xx without a verdict: whether it was queued cannot be known
    return { kind: 'unknown', reason: `unexpected answer: ${JSON.stringify(body).slice(0, 200)}` };
  }
  return { kind: 'unknown', reason: `unexpected status ${status}` };
}

const NEVER_SENT: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Classifies a request that got no answer. Only errors raised before the request could leave
 * (no connection at all) are retryable; a timeout or a connection lost afterwards may have
 * reached the provider, so the outcome is unknown and it is not sent again on its own.
 */
export function classifyFailure(
  error: unknown,
): Extract<SendOutcome, { kind: 'retryable' | 'unknown' }> {
  const cause = (error as { cause?: { code?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  if (code && NEVER_SENT.has(code)) {
    return { kind: 'retryable', reason: `connection failed (${code})`, rateLimited: false };
  }
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return { kind: 'unknown', reason: 'timed out waiting for the provider' };
  return { kind: 'unknown', reason: `connection lost (${code ?? String(error)})` };
}
