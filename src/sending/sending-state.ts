import type { Db } from '../db/client';
import { blockSender } from './pacing';
import { FailureRail } from './safety';

/**
 * One sender's health at its provider as this service sees it. Sends in flight together fail
 * together: only the first failure after a block has ended counts as another failure in a row,
 * so the wait doubles per probe, not per concurrent request.
 */
export class AccountHealth {
  failuresInARow = 0;
  limitedInARow = 0;
  /** Nothing leaves this service before then (ms since the epoch): a 429, an outage, a 401. */
  blockedUntil = 0;
  /** Rows that got a 5xx or a refused connection since the last accepted send. */
  readonly failingRows = new Set<number>();
  /** This process's sends through the sender: its pace, as `wa_send_rate_per_second` shows it. */
  readonly rate = new SendRate();

  constructor(private readonly senderId: string) {}

  /** The sender waits `ms` from `now`: this service at once, every other one by its grants. */
  async hold(db: Db, now: number, ms: number): Promise<void> {
    this.blockedUntil = Math.max(this.blockedUntil, now + ms);
    await blockSender(db, this.senderId, ms);
  }

  /** An accepted send: the account is healthy again. */
  recovered(): void {
    this.failuresInARow = 0;
    this.limitedInARow = 0;
    this.failingRows.clear();
  }
}

/** The sends started in the last second: the pace reported. */
export class SendRate {
  private readonly started: number[] = [];

  /** Records a send started at `now`; answers how many started in the second up to it. */
  record(now: number): number {
    this.started.push(now);
    while ((this.started[0] ?? now) < now - 1000) this.started.shift();
    return this.started.length;
  }
}

/**
 * What every dispatch of one service shares: the failure rail and each sender's health (its
 * send rate with it). Created with the service and gone with it, so that a 429 in one service holds no
 * other (two services in one process, as in the tests, share nothing but the process); one
 * sender's outage holds no other sender.
 */
export type SendingState = {
  rail: FailureRail;
  healthOf: (senderId: string) => AccountHealth;
};

export function createSendingState(): SendingState {
  // a handful of senders: one entry each for the service's life
  const health = new Map<string, AccountHealth>();
  const healthOf = (senderId: string) => {
    let found = health.get(senderId);
    if (!found) {
      found = new AccountHealth(senderId);
      health.set(senderId, found);
    }
    return found;
  };
  return { rail: new FailureRail(), healthOf };
}
