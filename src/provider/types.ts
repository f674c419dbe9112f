/** The body of chat-api's POST /sendTemplate. */
export type SendTemplateBody = {
  phone: string;
  template: string;
  namespace: string;
  language: { code: string; policy: 'deterministic' | 'fallback' };
  params?: [{ type: 'body'; parameters: { type: 'text'; text: string }[] }];
};

export type SendMessageBody = { phone: string; body: string };

export type Profile = Record<string, unknown>;

export type ProfileUpdate = {
  address?: string;
  description?: string;
  email?: string;
  vertical?: string;
};

/**
 * What became of one send, decided in one place (classify.ts):
 * - accepted: the provider queued it (not delivered yet); keep its message id;
 * - refused: a permanent refusal of this message (`sent: false`, a 4xx other than 401/429);
 * - retryable: the provider provably did not take it (429, 5xx, connection refused);
 * - unknown: the request may have reached the provider (timed out, connection lost);
 * - auth: the token is wrong (401): stop sending and alert.
 */
export type SendOutcome =
  | { kind: 'accepted'; providerMessageId: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'retryable'; reason: string; rateLimited: boolean; retryAfterMs?: number }
  | { kind: 'unknown'; reason: string }
  | { kind: 'auth'; reason: string };

export interface Provider {
  readonly name: string;
  sendTemplate(body: SendTemplateBody): Promise<SendOutcome>;
  sendMessage(body: SendMessageBody): Promise<SendOutcome>;
  /** Throws ProviderError when the provider fails. */
  getProfile(): Promise<Profile>;
  updateProfile(update: ProfileUpdate): Promise<void>;
  close(): Promise<void>;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
