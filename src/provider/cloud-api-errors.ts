import { retryAfterMs } from './classify';
import type { ProviderErrorDetail, SendOutcome } from './types';

/** Longest error title kept: Meta's are a few words; a longer one is cut. */
export const MAX_ERROR_TITLE_CHARS = 200;

/**
 * What the scheduler does with an error of Meta's, whatever carried it (the answer to a send,
 * or a `failed` status of the webhook):
 * - throughput: the number sends too fast: the whole sender waits, then the row goes again;
 * - pairRate: too many messages to this recipient: only this row waits, backing off;
 * - refused: this message is refused for good (`failed`);
 * - optOut: refused for good, and the recipient stopped marketing messages: opt them out;
 * - template: the template is refused: pause the campaign with the reason;
 * - auth: the token is wrong or expired: hold the sender, pause;
 * - sender: the number may not send (spam, payment): hold the sender, alert;
 * - holdout: the recipient is in Meta's experiment group: recorded, not a failure;
 * - retry: a failure on Meta's side: try again later, like a 5xx.
 */
export type CloudApiVerdict =
  | 'throughput'
  | 'pairRate'
  | 'refused'
  | 'optOut'
  | 'template'
  | 'auth'
  | 'sender'
  | 'holdout'
  | 'retry';

/**
 * Meta's error codes the scheduler tells apart (docs/providers.md has the same table, in words).
 * A code not listed is judged by the HTTP status: 401 auth, 429 throughput, 5xx retry, another
 * 4xx (or a `failed` status) refused.
 */
export const CLOUD_API_ERRORS: Readonly<
  Record<number, { verdict: CloudApiVerdict; meaning: string }>
> = {
  0: { verdict: 'auth', meaning: 'the token could not be authenticated' },
  1: { verdict: 'retry', meaning: 'Meta could not handle the request (unknown error)' },
  2: { verdict: 'retry', meaning: "Meta's service is temporarily unavailable" },
  4: { verdict: 'throughput', meaning: "the app made too many calls (Graph API's rate limit)" },
  10: { verdict: 'auth', meaning: 'the token lacks the permission' },
  190: { verdict: 'auth', meaning: 'the access token expired or is invalid' },
  80007: { verdict: 'throughput', meaning: "the business account's rate limit was hit" },
  130429: { verdict: 'throughput', meaning: "the number's throughput was exceeded" },
  130472: { verdict: 'holdout', meaning: "the recipient is in Meta's experiment group" },
  131000: { verdict: 'retry', meaning: "something went wrong on Meta's side" },
  131026: { verdict: 'refused', meaning: 'undeliverable (not on WhatsApp, old app, terms)' },
  131042: { verdict: 'sender', meaning: 'a payment problem on the business account' },
  131047: { verdict: 'refused', meaning: 'more than 24 hours since the recipient wrote' },
  131048: { verdict: 'sender', meaning: "the number hit Meta's spam rate limit" },
  131049: { verdict: 'refused', meaning: "the recipient's marketing limit (healthy ecosystem)" },
  131050: { verdict: 'optOut', meaning: 'the recipient stopped marketing messages' },
  131056: { verdict: 'pairRate', meaning: 'too many messages to this recipient (pair rate)' },
  132000: { verdict: 'template', meaning: "the parameters do not match the template's" },
  132001: { verdict: 'template', meaning: 'the template does not exist or is not approved' },
  132005: { verdict: 'template', meaning: 'the text with its parameters is too long' },
  132007: { verdict: 'template', meaning: "the template breaks WhatsApp's policy" },
  132012: { verdict: 'template', meaning: "a parameter's format does not match the template" },
  132015: { verdict: 'template', meaning: 'the template is paused for low quality' },
  132016: { verdict: 'template', meaning: 'the template is disabled for low quality' },
};

/** The verdict on an error: its code's, else the HTTP status's (none for a webhook status). */
export function cloudApiVerdict(code: number | undefined, httpStatus?: number): CloudApiVerdict {
  const listed = code === undefined ? undefined : CLOUD_API_ERRORS[code];
  if (listed) return listed.verdict;
  if (httpStatus === 401) return 'auth';
  if (httpStatus === 429) return 'throughput';
  if (httpStatus !== undefined && httpStatus >= 500) return 'retry';
  return 'refused';
}

/** A title within MAX_ERROR_TITLE_CHARS, never empty. */
export function boundedTitle(title: string | undefined, fallback: string): string {
  const text = title?.trim() || fallback;
  return text.length > MAX_ERROR_TITLE_CHARS
    ? `${text.slice(0, MAX_ERROR_TITLE_CHARS - 1)}…`
    : text;
}

/**
 * The outcome of an error of Meta's: `code` and `title` as Meta gave them (undefined when the
 * answer had none), the HTTP status of the answer (none for a webhook's `failed` status), and
 * its Retry-After header.
 */
export function classifyCloudApiError(
  code: number | undefined,
  title: string | undefined,
  httpStatus?: number,
  retryAfter: string | null = null,
): Exclude<SendOutcome, { kind: 'accepted' }> {
  const fallback =
    (code !== undefined ? CLOUD_API_ERRORS[code]?.meaning : undefined) ??
    (httpStatus !== undefined ? `the provider answered ${httpStatus}` : 'the message failed');
  const error: ProviderErrorDetail | undefined =
    code === undefined ? undefined : { code, title: boundedTitle(title, fallback) };
  const reason = error ? `${error.title} (${error.code})` : boundedTitle(title, fallback);
  const withError = error ? { error } : {};
  switch (cloudApiVerdict(code, httpStatus)) {
    case 'throughput':
      return {
        kind: 'retryable',
        reason,
        rateLimited: true,
        retryAfterMs: retryAfterMs(retryAfter),
        ...withError,
      };
    case 'pairRate':
      return {
        kind: 'retryable',
        reason,
        rateLimited: false,
        recipientLimited: true,
        ...withError,
      };
    case 'retry':
      return {
        kind: 'retryable',
        reason,
        rateLimited: false,
        retryAfterMs: retryAfterMs(retryAfter),
        ...withError,
      };
    case 'optOut':
      return { kind: 'refused', reason, optOut: true, ...withError };
    case 'refused':
      return { kind: 'refused', reason, ...withError };
    case 'template':
      return { kind: 'template', reason, ...withError };
    case 'auth':
      return { kind: 'auth', reason, ...withError };
    case 'sender':
      return { kind: 'sender', reason, ...withError };
    case 'holdout':
      return { kind: 'holdout', reason, ...withError };
  }
}
