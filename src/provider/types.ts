/** One named or positional value of a template's body; `name` only in the named format. */
export type TemplateParameter = { name?: string; text: string };

/**
 * A template to send, in the domain's words: each provider translates it to its wire format
 * (chat-api.ts, cloud-api.ts). `to` is the recipient's phone in E.164; `namespace` and `policy`
 * matter to chat-api only (the Cloud API has neither).
 */
export type TemplateSend = {
  to: string;
  template: {
    name: string;
    language: string;
    namespace?: string;
    policy?: 'deterministic' | 'fallback';
  };
  parameters: {
    format: 'positional' | 'named';
    body: TemplateParameter[];
    /** The header's value, when the template's header takes one (a synced template's). */
    header?: TemplateHeader;
    /** The buttons' values, by the button's index in the template (a synced template's). */
    buttons?: TemplateButton[];
  };
};

/** A header's parameter: a text (named in the named format), or a media's link. */
export type TemplateHeader =
  | { type: 'text'; name?: string; text: string }
  | { type: 'image' | 'video' | 'document'; link: string };

/**
 * A button's parameter: a URL button's suffix, a copy-code button's coupon code, a quick reply's
 * payload; `index` is the button's place among the template's buttons, from 0.
 */
export type TemplateButton = {
  index: number;
  subType: 'url' | 'copy_code' | 'quick_reply';
  value: string;
};

/** A free-form text, inside the recipient's conversation window (docs/design.md, rule 16). */
export type TextSend = { to: string; text: string };

export type Profile = Record<string, unknown>;

export type ProfileUpdate = {
  address?: string;
  description?: string;
  email?: string;
  vertical?: string;
};

/** The provider's own code and title for a refusal (Meta's error codes), when it gave one. */
export type ProviderErrorDetail = { code: number; title: string };

/**
 * What became of one send, decided in one place per provider (classify.ts for chat-api,
 * cloud-api-errors.ts for Meta's Cloud API):
 * - accepted: the provider queued it (not delivered yet); keep its message id;
 * - refused: a permanent refusal of this message (`sent: false`, a 4xx other than 401/429);
 *   `optOut` when the recipient stopped taking marketing messages;
 * - retryable: the provider provably did not take it (429, 5xx, connection refused);
 *   `rateLimited` slows the whole account, `recipientLimited` only this recipient;
 * - unknown: the request may have reached the provider (timed out, connection lost);
 * - auth: the token is wrong (401): stop sending and alert;
 * - template: the template itself is refused (missing, paused, parameters wrong): pause the
 *   campaign with the reason;
 * - sender: the sending number may not send (spam limit, payment): hold it and alert;
 * - holdout: the recipient is in Meta's experiment group: not sent, not a failure.
 */
export type SendOutcome =
  | { kind: 'accepted'; providerMessageId: string }
  | { kind: 'refused'; reason: string; optOut?: boolean; error?: ProviderErrorDetail }
  | {
      kind: 'retryable';
      reason: string;
      rateLimited: boolean;
      recipientLimited?: boolean;
      retryAfterMs?: number;
      error?: ProviderErrorDetail;
    }
  | { kind: 'unknown'; reason: string; error?: ProviderErrorDetail }
  | { kind: 'auth'; reason: string; error?: ProviderErrorDetail }
  | { kind: 'template'; reason: string; error?: ProviderErrorDetail }
  | { kind: 'sender'; reason: string; error?: ProviderErrorDetail }
  | { kind: 'holdout'; reason: string; error?: ProviderErrorDetail };

export interface Provider {
  readonly name: string;
  sendTemplate(send: TemplateSend): Promise<SendOutcome>;
  sendMessage(send: TextSend): Promise<SendOutcome>;
  /** Throws ProviderError when the provider fails. */
  getProfile(): Promise<Profile>;
  updateProfile(update: ProfileUpdate): Promise<void>;
  close(): Promise<void>;
}

export class ProviderError extends Error {
  constructor(
    message: string,
    /** The HTTP status of the provider's answer, when it answered. */
    readonly status?: number,
    /** The provider's own error code in that answer (Meta's `error.code`), when it gave one. */
    readonly code?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** The digits of an E.164 phone, as both providers' wire formats want it (`79995253422`). */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}
