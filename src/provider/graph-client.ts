import { classifyFailure } from './classify';
import { boundedTitle } from './cloud-api-errors';
import { ProviderError } from './types';

/**
 * The most bytes of one Graph API answer read: a page of 100 templates with their components is
 * well under it; a larger answer is a broken or hostile server, not a page.
 */
export const MAX_GRAPH_ANSWER_BYTES = 4 * 1024 * 1024;

export type GraphSettings = {
  /** `https://graph.facebook.com`, or a fake one in the tests. */
  graphApiUrl: string;
  /** `v26.0`. */
  graphApiVersion: string;
  accessToken: string;
  timeoutMs: number;
};

/** Meta's error object (`{error: {message, type, code, error_user_title, error_data}}`). */
export type GraphError = { code: number | undefined; title: string | undefined };

/** What an answer carried: its status, its JSON (undefined when empty or not JSON). */
export type GraphAnswer = { status: number; body: unknown; retryAfter: string | null };

class AnswerTooLarge extends Error {}

/** Reads a body of at most `maxBytes`, or throws AnswerTooLarge without reading the rest. */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new AnswerTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The code and title of Meta's error object in an answer, when it has one. */
export function graphError(body: unknown): GraphError {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (typeof error !== 'object' || error === null) return { code: undefined, title: undefined };
  const code = Number.isSafeInteger(error.code) ? (error.code as number) : undefined;
  // `message` reads "(#131056) (Business Account, Consumer Account) pair rate limit hit"
  const message =
    typeof error.message === 'string' ? error.message.replace(/^\(#\d+\)\s*/, '') : undefined;
  const title = typeof error.error_user_title === 'string' ? error.error_user_title : message;
  return { code, title };
}

/**
 * HTTP to Meta's Graph API with the bearer token. The token travels in the Authorization header
 * only, and every text that leaves this class (reasons, errors) has it blotted out, in case an
 * answer or a URL (Meta's `paging.next` holds `access_token`) ever carried it.
 */
export class GraphClient {
  private readonly base: string;
  readonly origin: string;

  constructor(private readonly settings: GraphSettings) {
    this.base = `${settings.graphApiUrl.replace(/\/+$/, '')}/${settings.graphApiVersion}`;
    this.origin = new URL(settings.graphApiUrl).origin;
  }

  /** The URL of a Graph path (`{phoneNumberId}/messages`), each segment escaped. */
  url(...segments: string[]): string {
    return `${this.base}/${segments.map(encodeURIComponent).join('/')}`;
  }

  redact(text: string): string {
    const { accessToken } = this.settings;
    return accessToken ? text.replaceAll(accessToken, '[token]') : text;
  }

  /**
   * One request; the answer, or what a failure means for a send (classify.ts: refused
   * connections are retryable, timeouts and lost connections unknown).
   */
  async request(
    method: 'GET' | 'POST',
    url: string,
    body?: object,
  ): Promise<{ answer: GraphAnswer } | { failure: { kind: string; reason: string } }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.settings.accessToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const outcome = classifyFailure(error);
      return { failure: { kind: outcome.kind, reason: this.redact(outcome.reason) } };
    }
    const retryAfter = response.headers.get('retry-after');
    let text: string;
    try {
      text = await readBounded(response, MAX_GRAPH_ANSWER_BYTES);
    } catch (error) {
      // The status arrived but the body did not: cut, timed out, or too large.
      const reason =
        error instanceof AnswerTooLarge
          ? `the answer was larger than ${MAX_GRAPH_ANSWER_BYTES} bytes`
          : classifyFailure(error).reason;
      return { failure: { kind: 'unknown', reason: this.redact(reason) } };
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { answer: { status: response.status, body: parsed, retryAfter } };
  }

  /** A call whose failure is a ProviderError (profile, templates): the JSON of a 2xx answer. */
  async call(method: 'GET' | 'POST', url: string, body?: object): Promise<unknown> {
    const result = await this.request(method, url, body);
    if ('failure' in result) {
      throw new ProviderError(`the Graph API did not answer: ${result.failure.reason}`);
    }
    const { status, body: answer } = result.answer;
    if (status < 200 || status >= 300) {
      const { code, title } = graphError(answer);
      const what = code === undefined ? '' : `: ${boundedTitle(title, 'an error')} (${code})`;
      throw new ProviderError(this.redact(`the Graph API answered ${status}${what}`), status, code);
    }
    if (answer === undefined)
      throw new ProviderError('the Graph API answered with something that is not JSON');
    return answer;
  }
}
