import type { AppContext } from '../context';
import { senderCredentials } from '../senders/credentials';
import { webhookSenderRows } from './sender-queries';

/** A Cloud API sender as its webhook sees it. */
export type CloudApiWebhookSender = {
  senderId: string;
  phoneNumberId: string;
  businessAccountId: string;
  appSecret: string;
  verifyToken: string;
};

type Known = {
  /** Every cloud-api sender whose credentials open. */
  cloudApi: CloudApiWebhookSender[];
  /** chat-api senders by id: the secret their webhook takes (undefined: none set, all refused). */
  chatApi: Map<string, string | undefined>;
};

/** A miss reads the senders again at most this often, so that a flood of bad posts costs no queries. */
const MIN_RELOAD_MS = 1000;

/**
 * The senders' webhook secrets, kept WEBHOOK_SENDERS_CACHE_SECONDS (docs/decisions.md, "The
 * Cloud API webhook"): checking a signature must not cost a query and the opening of every
 * sealed credential set per request (the webhook takes thousands a second). The default
 * sender's are the environment's (senderCredentials); a chat-api default sender's webhook
 * secret is WEBHOOK_SECRET. A sender whose credentials do not open is left out: its webhook is
 * refused, as its sends are (it is `auth_failed`, docs/design.md, rule 32).
 */
export class WebhookSenders {
  private known: Known | undefined;
  private loadedAt = 0;
  private loading: Promise<Known> | undefined;

  constructor(private readonly ctx: AppContext) {}

  /** The known senders, read again when older than the cache's age. */
  current(): Promise<Known> {
    const ageMs = Date.now() - this.loadedAt;
    if (this.known && ageMs < this.ctx.config.WEBHOOK_SENDERS_CACHE_SECONDS * 1000)
      return Promise.resolve(this.known);
    return this.load();
  }

  /**
   * Asks `matches` of the known senders, and once more of freshly read ones when it says no
   * (a sender created or changed a moment ago), unless they were read less than a second ago.
   */
  async find<T>(matches: (known: Known) => T | undefined): Promise<T | undefined> {
    const found = matches(await this.current());
    if (found !== undefined || Date.now() - this.loadedAt < MIN_RELOAD_MS) return found;
    return matches(await this.load());
  }

  private load(): Promise<Known> {
    this.loading ??= this.read().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async read(): Promise<Known> {
    const rows = await webhookSenderRows(this.ctx.database.db);
    const known: Known = { cloudApi: [], chatApi: new Map() };
    for (const row of rows) {
      let opened: ReturnType<typeof senderCredentials>;
      try {
        opened = senderCredentials(row, this.ctx);
      } catch {
        continue; // auth_failed, logged at the start that found it so
      }
      if (opened.provider === 'cloud-api') {
        known.cloudApi.push({ senderId: row.id, ...opened.credentials });
      } else if (opened.provider === 'chat-api') {
        const secret = row.isDefault
          ? this.ctx.secrets.webhookSecret
          : opened.credentials.webhookSecret;
        known.chatApi.set(row.id, secret);
      }
    }
    this.known = known;
    this.loadedAt = Date.now();
    return known;
  }
}
