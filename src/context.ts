import type PgBoss from 'pg-boss';
import type { Config } from './config';
import type { Database } from './db/client';
import type { ZoneNames } from './delivery/recipient-zone';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Provider } from './provider/types';
import type { Secrets } from './secrets';
import type { SenderAccounts } from './sending/sender-accounts';
import type { SendingState } from './sending/sending-state';
import type { EventApplier } from './webhooks/applier';

/** What every route, verb and job receives: the typed service context. */
export type AppContext = {
  config: Config;
  secrets: Secrets;
  logger: Logger;
  database: Database;
  boss: PgBoss;
  metrics: Metrics;
  /** The default sender's provider client (the environment's): its profile, its sends. */
  provider: Provider;
  /** Every sender's pace, limit, status and client (docs/design.md, rule 31). */
  senders: SenderAccounts;
  /** Applies the stored webhook events; the webhook route kicks it. */
  applier: EventApplier;
  /** What this service's dispatches share: the failure rail, the provider's health, the pace. */
  sending: SendingState;
  /** The time zone names this PostgreSQL knows (docs/design.md, rule 37). */
  zoneNames: ZoneNames;
  /** This process's id in the `workers` table: the owner of the rows it has `sending`. */
  workerId: string;
  /** Aborted when a graceful shutdown begins: long loops finish their round and return. */
  stopping: AbortSignal;
};
