import { pauseCampaign } from '../campaigns/pause-campaign';
import { addOptOut } from '../contacts/opt-outs';
import type { AppContext } from '../context';
import type { Logger } from '../logger';
import type { SendOutcome } from '../provider/types';
import { paramsMismatch, templateSend } from '../templates/render';
import { authFailedReason, holdSender } from './hold-sender';
import { decide } from './outcomes';
import { type ClaimedRow, type RowUpdate, writeOutcomes } from './queries';
import type { RunForSending } from './run-for-sending';
import { MessagingLimit } from './safety';
import type { SenderAccount } from './sender-accounts';

const FLUSH_ROWS = 100;
const FLUSH_MS = 20;
const MAX_BLOCK_MS = 30_000;
/**
 * After a hold, this process's sends already in flight go back unsent for this long: the next
 * dispatch round sees the sender's status, which holds it from then on, and a fixed sender sends
 * again from the round after its fix.
 */
const HOLD_WAIT_MS = 1000;
/** A send this late for its slot is not sent in it. */
export const LATE_MS = 30;

/**
 * Sends claimed rows through one sender (a sending number), stores their outcomes in batches,
 * and applies the sender-wide reactions: a 429 blocks the sender for Retry-After (or a doubling
 * wait); 5xx and refused connections block it for a doubling wait, so an outage costs a few
 * probes rather than every row's attempts; a refused token or Meta's hold of the number holds
 * the sender (auth_failed or paused) until someone fixes it; a refused template or the failure
 * rail pauses the campaign.
 */
export class Sender {
  readonly limit: MessagingLimit;
  stopped = false;
  /** The sender, as fresh as the dispatcher last read it (a PATCH may replace its client). */
  account: SenderAccount;
  private readonly pending = new Set<Promise<void>>();
  private buffer: RowUpdate[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly run: RunForSending | undefined,
    private readonly log: Logger,
    account: SenderAccount,
  ) {
    this.account = account;
    this.limit = new MessagingLimit(ctx.database.db, () => this.account);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends the row at `atMs` (its pace slot); one more than LATE_MS past it goes back unsent. */
  send(row: ClaimedRow, atMs = Date.now()): void {
    const wait = atMs - Date.now();
    const started =
      wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
    const work = started
      .then(() => this.sendOne(row, atMs))
      .catch((error: unknown) => {
        // Only our own bookkeeping can throw here; the row stays `sending` for recovery.
        this.log.error({ err: error, messageId: row.id }, 'send bookkeeping failed');
      });
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  async settleOne(): Promise<void> {
    if (this.pending.size > 0) await Promise.race(this.pending);
  }

  /** Waits for every send in flight and stores every outcome. */
  async settleAll(): Promise<void> {
    await Promise.all(this.pending);
    await this.flush();
  }

  private async sendOne(row: ClaimedRow, atMs: number): Promise<void> {
    const { metrics, config } = this.ctx;
    const { provider } = this.account;
    const health = this.ctx.sending.healthOf(this.account.id);
    const now = Date.now();
    // A slot reserved before a 429, a safety pause or a shutdown, or one this process reached
    // too late (a busy event loop would otherwise fire late sends in a burst above the pace):
    // hand the row back unsent.
    if (
      this.stopped ||
      this.ctx.stopping.aborted ||
      now < health.blockedUntil ||
      now - atMs > LATE_MS
    ) {
      const retryAt = now < health.blockedUntil ? new Date(health.blockedUntil) : null;
      this.push({
        id: row.id,
        status: 'pending',
        providerMessageId: null,
        error: null,
        retryAt,
        refundAttempt: true,
      });
      return;
    }
    const sender = this.account.id;
    metrics.sendRate.set({ sender }, health.rate.record(now));
    const operation = row.kind === 'template' ? 'sendTemplate' : 'message';
    const timer = metrics.providerLatency.startTimer({ sender, operation });
    let outcome: SendOutcome;
    if (row.kind === 'template') {
      if (!this.run) throw new Error(`template row ${row.id} claimed without its run`);
      const params = row.params ?? [];
      const mismatch = paramsMismatch(this.run.template, params);
      outcome = mismatch
        ? { kind: 'refused', reason: mismatch }
        : await provider.sendTemplate(templateSend(this.run.template, row.phone, params));
    } else {
      outcome = await provider.sendMessage({ to: row.phone, text: row.body ?? '' });
    }
    timer();
    metrics.sends.inc({ sender, kind: row.kind, outcome: outcome.kind });
    // A 5xx or a refused connection once several different rows failed with no success between
    // is the account's outage, not this message's attempt: without the refund, the rows that
    // probe a long outage would use up their attempts and end `failed`. One row failing alone
    // (a message the provider chokes on) still uses up its attempts.
    const failing =
      outcome.kind === 'retryable' && !outcome.rateLimited && !outcome.recipientLimited;
    if (failing) health.failingRows.add(row.id);
    const outage = failing && health.failingRows.size >= 2;
    const attempts = outage ? row.attempts - 1 : row.attempts;
    const update = {
      ...decide(row.id, outcome, attempts, config.SEND_MAX_ATTEMPTS),
      senderId: this.account.id,
    };
    // A row that gave up is no longer failing: left in the set, it would make the next message
    // the provider chokes on (another run's) look like an outage, retried for good.
    if (update.status !== 'pending') health.failingRows.delete(row.id);
    this.push(outage ? { ...update, refundAttempt: true } : update);
    await this.react(row, outcome);
  }

  private async react(row: ClaimedRow, outcome: SendOutcome): Promise<void> {
    const { db } = this.ctx.database;
    const { rail } = this.ctx.sending;
    const health = this.ctx.sending.healthOf(this.account.id);
    if (outcome.kind === 'accepted') {
      health.recovered();
    } else if (outcome.kind === 'retryable' && !outcome.recipientLimited) {
      // (one recipient over Meta's pair rate waits alone: the sender goes on)
      const now = Date.now();
      const ask = outcome.retryAfterMs;
      if (now < health.blockedUntil && ask === undefined) return;
      let wait: number;
      if (outcome.rateLimited) {
        if (now >= health.blockedUntil) health.limitedInARow++;
        wait = ask ?? Math.min(MAX_BLOCK_MS, 1000 * 2 ** (health.limitedInARow - 1));
      } else {
        if (now >= health.blockedUntil) health.failuresInARow++;
        // 0.4 s first: shorter than any row's first backoff (0.5-1 s), so that the next probe
        // is another row when the dispatcher keeps time; the claims pass over the lone failing
        // row when it does not (dispatch.ts, claim).
        wait = Math.max(ask ?? 0, Math.min(MAX_BLOCK_MS, 400 * 2 ** (health.failuresInARow - 1)));
      }
      this.log.warn(
        { reason: outcome.reason, waitMs: wait, senderId: this.account.id },
        'provider unavailable or limiting: the sender waits',
      );
      await health.hold(db, now, wait);
    } else if (outcome.kind === 'auth') {
      // The token is the sender's: every send would be refused. The sender is held (auth_failed)
      // until its credentials are replaced (PATCH /v1/senders/{id}, or the environment and a
      // restart for the default one); its campaigns wait with their rows pending.
      await this.holdSender(
        health,
        'auth_failed',
        authFailedReason(this.account, outcome.error?.code),
      );
    } else if (outcome.kind === 'sender') {
      // The number may not send (Meta's spam limit, a payment problem): held like a refused token.
      await this.holdSender(
        health,
        'paused',
        `the provider holds the sending number: ${outcome.reason}`,
      );
    } else if (outcome.kind === 'template') {
      // The template itself is refused (paused, disabled, its parameters wrong): every row of
      // the campaign would be refused alike, so it pauses with the reason (docs/providers.md).
      await this.pause(row, `the provider refused the template: ${outcome.reason}`, 'template');
    } else if (outcome.kind === 'refused' && outcome.optOut) {
      // The person stopped marketing messages (Meta's 131050): nothing more goes to them.
      await addOptOut(this.ctx, row.phone, 'provider').catch((error: unknown) =>
        this.log.warn({ err: error, messageId: row.id }, 'could not record the opt-out'),
      );
    }
    if (
      row.campaignId &&
      row.kind === 'template' &&
      (outcome.kind === 'accepted' || outcome.kind === 'refused')
    ) {
      const tripped = rail.record(row.campaignId, outcome.kind === 'refused');
      if (tripped) await this.pause(row, tripped, 'failures');
    }
  }

  /** Holds the sender (once, whoever sees it first) and stops this dispatch's sends with it. */
  private async holdSender(
    health: ReturnType<AppContext['sending']['healthOf']>,
    status: 'auth_failed' | 'paused',
    reason: string,
  ): Promise<void> {
    // This process's sends in flight go back unsent; the status stops every process's next round.
    health.blockedUntil = Math.max(health.blockedUntil, Date.now() + HOLD_WAIT_MS);
    await holdSender(this.ctx, this.log, this.account.id, status, reason);
  }

  private async pause(row: ClaimedRow, reason: string, label: string): Promise<void> {
    if (!row.campaignId || this.stopped) return;
    this.stopped = true;
    try {
      await pauseCampaign(this.ctx, row.campaignId, reason);
      this.ctx.metrics.autoPauses.inc({ reason: label });
      this.log.error({ reason }, 'campaign paused by a safety rail');
    } catch {
      // not running any more: nothing to pause
    }
  }

  private push(update: RowUpdate): void {
    this.buffer.push(update);
    if (this.buffer.length >= FLUSH_ROWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Stores buffered outcomes, one batch at a time; a database hiccup is waited out, not lost. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(() => this.store(batch));
    return this.flushing;
  }

  private async store(batch: RowUpdate[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await writeOutcomes(this.ctx.database.sql, batch);
        return;
      } catch (error) {
        if (attempt >= 30) throw error;
        this.log.warn(
          { err: error, attempt, rows: batch.length },
          'could not store outcomes; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * attempt)));
      }
    }
  }
}
