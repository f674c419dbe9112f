import { and, eq, isNull } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { senders } from '../db/schema';
import type { Logger } from '../logger';
import { createProvider, providerFor } from '../provider';
import type { SandboxOptions } from '../provider/sandbox';
import type { Provider } from '../provider/types';
import type { Secrets } from '../secrets';
import { senderCredentials } from '../senders/credentials';
import { CredentialsUnreadable } from '../senders/credentials-cipher';

type SenderRow = typeof senders.$inferSelect;

/**
 * A sending number as the dispatcher sees it (docs/design.md, rule 31): its pace, its 24-hour
 * limit, whether it may send now, and the provider client that sends for it.
 */
export type SenderAccount = {
  id: string;
  name: string;
  isDefault: boolean;
  kind: SenderRow['provider'];
  ratePerSecond: number;
  messagingLimit24h: number | null;
  status: SenderRow['status'];
  statusReason: string | null;
  provider: Provider;
};

/** How long a sender's row is trusted before it is read again: a pause or a PATCH shows within it. */
const FRESH_MS = 1000;

/**
 * The senders' clients, one per sender, built from its credentials (the environment's for the
 * default sender, which is `defaultProvider`) and built again when its row changes (replaced
 * credentials). Rows are read at most once a second per sender.
 */
export class SenderAccounts {
  private readonly accounts = new Map<string, { at: number; account: SenderAccount }>();
  private readonly clients = new Map<string, { version: number; provider: Provider }>();

  constructor(
    private readonly deps: {
      config: Config;
      secrets: Secrets;
      logger: Logger;
      db: Db;
      defaultProvider: Provider;
      sandbox: SandboxOptions;
    },
  ) {}

  /** The sender of that id, deleted or not (a run keeps its sender), or undefined. */
  async get(id: string): Promise<SenderAccount | undefined> {
    const cached = this.accounts.get(id);
    if (cached && Date.now() - cached.at < FRESH_MS) return cached.account;
    const [row] = await this.deps.db.select().from(senders).where(eq(senders.id, id));
    if (!row) return undefined;
    const account = this.toAccount(row);
    this.accounts.set(id, { at: Date.now(), account });
    return account;
  }

  /** The default sender's id (there is always one: migration 0014 and every start keep it). */
  async defaultId(): Promise<string> {
    const [row] = await this.deps.db
      .select({ id: senders.id })
      .from(senders)
      .where(and(eq(senders.isDefault, true), isNull(senders.deletedAt)));
    if (!row) throw new Error('no default sender: the start keeps one (default-sender.ts)');
    return row.id;
  }

  /**
   * Holds a sender that may not send (a refused token, Meta's spam or payment holds): `auth_failed`
   * or `paused` with the reason, until someone replaces its credentials or resumes it. Only an
   * active sender changes, so a hold decided by several sends at once is written once.
   */
  async hold(id: string, status: 'auth_failed' | 'paused', reason: string): Promise<boolean> {
    const held = await this.deps.db
      .update(senders)
      .set({ status, statusReason: reason.slice(0, 500) })
      .where(and(eq(senders.id, id), eq(senders.status, 'active')))
      .returning({ id: senders.id });
    this.accounts.delete(id);
    return held.length > 0;
  }

  async close(): Promise<void> {
    for (const { provider } of this.clients.values())
      if (provider !== this.deps.defaultProvider) await provider.close();
    this.clients.clear();
  }

  private toAccount(row: SenderRow): SenderAccount {
    const base = {
      id: row.id,
      name: row.name,
      isDefault: row.isDefault,
      kind: row.provider,
      ratePerSecond: row.ratePerSecond,
      messagingLimit24h: row.messagingLimit24h,
      status: row.status,
      statusReason: row.statusReason,
    };
    try {
      return { ...base, provider: this.client(row) };
    } catch (error) {
      if (!(error instanceof CredentialsUnreadable)) throw error;
      // Sealed under another SECRETS_KEY, or altered: the number cannot send; nothing else stops.
      return {
        ...base,
        status: 'auth_failed',
        statusReason: `its stored credentials cannot be opened (${error.reason}): check SECRETS_KEY, or replace them`,
        provider: this.deps.defaultProvider,
      };
    }
  }

  private client(row: SenderRow): Provider {
    if (row.isDefault) return this.deps.defaultProvider;
    const version = row.updatedAt.getTime();
    const cached = this.clients.get(row.id);
    if (cached?.version === version) return cached.provider;
    const provider = providerFor(
      senderCredentials(row, this.deps),
      this.deps.config,
      this.deps.logger.child({ senderId: row.id }),
      this.deps.sandbox,
    );
    if (cached) void cached.provider.close();
    this.clients.set(row.id, { version, provider });
    return provider;
  }
}

/**
 * The default sender's client (the environment's) and the registry of every sender's: what a
 * service context holds as `provider` and `senders`.
 */
export function createSenderClients(deps: {
  config: Config;
  secrets: Secrets;
  logger: Logger;
  db: Db;
  sandbox: SandboxOptions;
}): { provider: Provider; senders: SenderAccounts } {
  const provider = createProvider(deps.config, deps.logger, deps.sandbox);
  return { provider, senders: new SenderAccounts({ ...deps, defaultProvider: provider }) };
}
