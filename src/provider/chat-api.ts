import { classifyAnswer, classifyFailure } from './classify';
import {
  type Profile,
  type ProfileUpdate,
  type Provider,
  ProviderError,
  phoneDigits,
  type SendOutcome,
  type TemplateSend,
  type TextSend,
} from './types';

/** The body of chat-api's POST /sendTemplate (docs/design.md, rule 23). */
export type ChatApiTemplateBody = {
  phone: string;
  template: string;
  namespace?: string;
  language: { code: string; policy: 'deterministic' | 'fallback' };
  params?: [{ type: 'body'; parameters: { type: 'text'; text: string }[] }];
};

/**
 * A domain template in chat-api's words. chat-api knows positional parameters only: named ones
 * go in the order given. `params` is left out when there are none, as the gateway wants.
 */
export function chatApiTemplateBody(send: TemplateSend): ChatApiTemplateBody {
  const { template, parameters } = send;
  return {
    phone: phoneDigits(send.to),
    template: template.name,
    ...(template.namespace !== undefined ? { namespace: template.namespace } : {}),
    language: { code: template.language, policy: template.policy ?? 'deterministic' },
    ...(parameters.body.length > 0
      ? {
          params: [
            {
              type: 'body',
              parameters: parameters.body.map(({ text }) => ({ type: 'text', text })),
            },
          ],
        }
      : {}),
  };
}

/**
 * The chat-api.com instance API: `{CHAT_API_URL}/sendTemplate?token=…` and friends. Node's
 * fetch keeps connections alive between calls. The token travels in the query string, so URLs
 * are never logged.
 */
export class ChatApiProvider implements Provider {
  readonly name = 'chat-api';
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  sendTemplate(send: TemplateSend): Promise<SendOutcome> {
    return this.send('/sendTemplate', chatApiTemplateBody(send));
  }

  sendMessage(send: TextSend): Promise<SendOutcome> {
    return this.send('/message', { phone: phoneDigits(send.to), body: send.text });
  }

  async getProfile(): Promise<Profile> {
    const body = await this.call('GET', '/me');
    if (typeof body !== 'object' || body === null)
      throw new ProviderError('the provider answered /me without a profile');
    return body as Profile;
  }

  async updateProfile(update: ProfileUpdate): Promise<void> {
    const body = (await this.call('POST', '/me', update)) as {
      result?: string;
      error?: string;
    } | null;
    if (body?.result !== 'success')
      throw new ProviderError(
        `the provider did not take the profile: ${JSON.stringify(body).slice(0, 200)}`,
      );
  }

  async close(): Promise<void> {}

  private url(path: string): string {
    return `${this.base}${path}?token=${encodeURIComponent(this.token)}`;
  }

  private async send(path: string, body: object): Promise<SendOutcome> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return classifyFailure(error);
    }
    let answer: unknown;
    try {
      const text = await response.text();
      answer = text ? JSON.parse(text) : undefined;
    } catch (error) {
      // The status arrived but the body was cut or is not JSON.
      if (response.status >= 200 && response.status < 300) return classifyFailure(error);
      answer = undefined;
    }
    return classifyAnswer(response.status, answer, response.headers.get('retry-after'));
  }

  private async call(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ProviderError(
        `the provider did not answer: ${classifyFailure(error).kind === 'retryable' ? 'connection failed' : 'timed out or connection lost'}`,
      );
    }
    const text = await response.text().catch(() => '');
    if (!response.ok)
      throw new ProviderError(`the provider answered ${response.status}`, response.status);
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      throw new ProviderError('the provider answered with something that is not JSON');
    }
  }
}
