import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger';
import {
  type Profile,
  type ProfileUpdate,
  type Provider,
  phoneDigits,
  type SendOutcome,
  type TemplateSend,
  type TextSend,
} from './types';

const REPLIES = ['Yes please', 'Tell me more', 'Thanks!', 'How much is it?'];

export type SandboxOptions = {
  /** Where to post simulated webhook events; unset in a process that serves no API. */
  webhookUrl?: () => string | undefined;
  /**
   * Aborted when the service begins to stop: nothing more is posted (its webhook is closing),
   * and the posts in flight are abandoned quietly.
   */
  stopping?: AbortSignal;
  /** Share of recipients who answer (0..1), and of those, who answer STOP. */
  replyRate?: number;
  stopRate?: number;
  /** Milliseconds between a send and its acks. */
  ackDelayMs?: number;
  random?: () => number;
};

/**
 * Used when CHAT_API_URL is unset: accepts every send, sends nothing, and a little later posts
 * chat-api-shaped acks (`delivered`, then `read`) and, for some recipients, a reply quoting the
 * message, to the service's own webhook, so that `npm start` shows the whole loop.
 */
export class SandboxProvider implements Provider {
  readonly name = 'sandbox';
  private profile: Profile = {
    address: '',
    description: 'Sandbox business',
    email: '',
    vertical: '',
  };
  private readonly timers = new Set<NodeJS.Timeout>();
  private sends = 0;

  constructor(
    private readonly logger: Logger,
    private readonly options: SandboxOptions = {},
  ) {
    options.stopping?.addEventListener('abort', () => void this.close(), { once: true });
    logger.warn(
      '*** SANDBOX PROVIDER: CHAT_API_URL is not set, so NOTHING IS SENT TO WHATSAPP. Sends are accepted and acks and replies are simulated. ***',
    );
  }

  async sendTemplate(send: TemplateSend): Promise<SendOutcome> {
    return this.accept(phoneDigits(send.to));
  }

  async sendMessage(send: TextSend): Promise<SendOutcome> {
    return this.accept(phoneDigits(send.to), false);
  }

  async getProfile(): Promise<Profile> {
    return { ...this.profile };
  }

  async updateProfile(update: ProfileUpdate): Promise<void> {
    this.profile = { ...this.profile, ...update };
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private accept(phone: string, mayReply = true): SendOutcome {
    const chatId = `${phone}@c.us`;
    const id = `true_${chatId}_${randomBytes(10).toString('hex').toUpperCase()}`;
    this.sends++;
    if (this.sends % 1000 === 1)
      this.logger.warn(
        { sends: this.sends },
        'sandbox provider: simulated send, nothing real was sent',
      );
    const random = this.options.random ?? Math.random;
    const delay = this.options.ackDelayMs ?? 1500;
    this.later(delay, { ack: [{ id, chatId, status: 'delivered' }], instanceId: 'sandbox' });
    this.later(delay * 2, { ack: [{ id, chatId, status: 'read' }], instanceId: 'sandbox' });
    if (mayReply && random() < (this.options.replyRate ?? 0.1)) {
      const stop = random() < (this.options.stopRate ?? 0.1);
      const text = stop ? 'STOP' : (REPLIES[Math.floor(random() * REPLIES.length)] as string);
      this.later(delay * 3, {
        messages: [
          {
            id: `false_${chatId}_${randomBytes(10).toString('hex').toUpperCase()}`,
            body: text,
            fromMe: false,
            self: 0,
            author: chatId,
            chatId,
            time: Math.floor(Date.now() / 1000) + Math.round((delay * 3) / 1000),
            type: 'chat',
            senderName: 'Sandbox customer',
            quotedMsgId: id,
          },
        ],
        instanceId: 'sandbox',
      });
    }
    return { kind: 'accepted', providerMessageId: id };
  }

  private later(ms: number, event: object): void {
    if (this.options.stopping?.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.post(event);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async post(event: object): Promise<void> {
    const url = this.options.webhookUrl?.();
    const { stopping } = this.options;
    if (!url || stopping?.aborted) return;
    try {
      const timeout = AbortSignal.timeout(5000);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: stopping ? AbortSignal.any([stopping, timeout]) : timeout,
      });
      if (!response.ok)
        this.logger.warn(
          { status: response.status },
          'sandbox provider: the webhook refused a simulated event',
        );
    } catch (error) {
      if (stopping?.aborted) return;
      this.logger.warn({ err: error }, 'sandbox provider: could not post a simulated event');
    }
  }
}
