import { completeRunIfDone } from '../campaigns/complete-run';
import type { AppContext } from '../context';
import { acquireLease, directLease, releaseLease, renewLease, runLease } from './leases';
import {
  type Bucket,
  campaignBucket,
  ensureBuckets,
  type Grant,
  senderBucket,
  takeSlots,
} from './pacing';
import {
  type Claim,
  claimDirectRows,
  claimTemplateRows,
  countDueTemplateRows,
  deferOutsideWindow,
  markWaiting,
  runProgress,
  wakeIfDue,
} from './queries';
import { loadRunForSending, type RunForSending } from './run-for-sending';
import { LATE_MS, Sender } from './sender';
import type { SenderAccount } from './sender-accounts';

const LEASE_MS = 15_000;
/** Rows claimed at most per round; the pace decides how many rounds a second. */
const MAX_ROUND = 200;
const MAX_IN_FLIGHT = 200;

/**
 * `waiting`: the run's pending rows are all due later (a send window, a retry), and the run is
 * left to recovery until then (see WAIT_AWAY_MS).
 */
export type DispatchResult = 'done' | 'more' | 'stopped' | 'waiting';

/**
 * A run whose next row is due further away than this is not waited for in a job (a window
 * opening hours later would hold a dispatch slot all along): the job ends, and recovery's sweep
 * (every 2 s) queues another once the row is due.
 */
const WAIT_AWAY_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one dispatch sends: a run's messages, or one sender's follow-ups and free-form messages. */
export type DispatchTarget = { runId: string } | { senderId: string };

/**
 * Sends for one run (its template rows, after any follow-up or free-form message of its sender
 * waiting) or, for a sender, only its direct messages, for at most `budgetMs`. Each round
 * reserves send slots from the shared paces first (the sender's, the campaign's; at most 250 ms
 * ahead), then claims rows only just before their slots (20 ms), so a crash leaves little more
 * than the requests in flight `unknown`. One job at a time holds a run's (or a sender's direct)
 * lease. Answers `more` when the budget ran out with work left, `done` when nothing is left,
 * `stopped` when the run is not running (paused, cancelled) or another job holds the lease.
 */
export async function dispatch(
  ctx: AppContext,
  target: DispatchTarget,
  budgetMs: number,
): Promise<DispatchResult> {
  const { db } = ctx.database;
  const key = 'runId' in target ? runLease(target.runId) : directLease(target.senderId);
  const holder = crypto.randomUUID();
  const who = {
    holder,
    workerId: ctx.workerId,
    deadAfterSeconds: ctx.config.WORKER_TIMEOUT_SECONDS,
  };
  if (!(await acquireLease(db, key, who, LEASE_MS))) return 'stopped';
  let result: DispatchResult;
  try {
    result = await sendUnderLease(ctx, target, { key, holder }, budgetMs);
  } finally {
    await releaseSoon(ctx, key, holder);
  }
  // A row that came due (or due before the moment this job chose) while this job decided to
  // wait (a retry, a snapshot batch) was kicked for while it still held the lease, and that kick
  // found it taken: look again, now that it is free, so that the row does not wait for the
  // run's next opening.
  if (
    result === 'waiting' &&
    'runId' in target &&
    (await wakeIfDue(ctx.database.sql, target.runId))
  )
    return 'more';
  return result;
}

/**
 * Gives the lease back. A lease left behind holds the run until it lapses (15 s), so while the
 * database is away this keeps trying until then: otherwise the run could wait out the whole
 * lease after the database is back (docs/decisions.md, Sending).
 */
async function releaseSoon(ctx: AppContext, key: string, holder: string): Promise<void> {
  const until = Date.now() + LEASE_MS;
  for (;;) {
    try {
      await releaseLease(ctx.database.db, key, holder);
      return;
    } catch (error) {
      if (Date.now() > until) {
        ctx.logger.warn({ err: error, key }, 'could not release the dispatch lease');
        return;
      }
      await sleep(500);
    }
  }
}

async function sendUnderLease(
  ctx: AppContext,
  target: DispatchTarget,
  { key, holder }: { key: string; holder: string },
  budgetMs: number,
): Promise<DispatchResult> {
  const { sql, db } = ctx.database;
  const run =
    'runId' in target
      ? await loadRunForSending(db, target.runId, {
          cap: ctx.config.FREQUENCY_CAP,
          quietHours: ctx.config.QUIET_HOURS,
        })
      : undefined;
  if ('runId' in target && run?.status !== 'running') return 'stopped';
  // Rows not yet placed by a changed send window would go by the old one (those of no zone by
  // none): the run waits for the window-change job, which queues it again when done; recovery
  // looks again meanwhile, in case the job died.
  if (run?.placingAgain) {
    await markWaiting(sql, run.id, new Date(Date.now() + WAIT_AWAY_MS));
    ctx.logger.info({ runId: run.id }, 'run waits while its waiting rows are placed again');
    return 'stopped';
  }
  const senderId = run ? run.senderId : 'senderId' in target ? target.senderId : '';
  const found = await ctx.senders.get(senderId);
  if (!found) return 'stopped';
  let account: SenderAccount = found;
  const log = ctx.logger.child({ runId: run?.id, campaignId: run?.campaignId, senderId });
  const bucketsOf = (of: SenderAccount): Bucket[] => [
    { key: senderBucket(of.id), ratePerSecond: of.ratePerSecond },
    ...(run?.ratePerSecond
      ? [{ key: campaignBucket(run.campaignId), ratePerSecond: run.ratePerSecond }]
      : []),
  ];
  let buckets = bucketsOf(account);
  const keys = buckets.map((bucket) => bucket.key);
  await ensureBuckets(db, buckets);
  const sender = new Sender(ctx, run, log, account);
  const deadline = Date.now() + budgetMs;
  let renewedAt = Date.now();
  /** Rows known to be left to send, counted again when few are. */
  let sendable = 0;
  const cursor: Cursor = { after: 0 };
  /** One round: reserve slots, claim and send; a result ends the dispatch. */
  const round = async (): Promise<DispatchResult | undefined> => {
    if (Date.now() - renewedAt > LEASE_MS / 3) {
      if (!(await renewLease(db, key, holder, LEASE_MS))) return 'stopped';
      renewedAt = Date.now();
    }
    // The sender as it is now: held (a refused token, Meta's hold, paused by hand) it sends
    // nothing and its rows wait; a changed pace or client applies from this round.
    const fresh = await ctx.senders.get(senderId);
    if (!fresh) return 'stopped';
    if (fresh.ratePerSecond !== account.ratePerSecond) {
      buckets = bucketsOf(fresh);
      await ensureBuckets(db, buckets);
    }
    account = fresh;
    sender.account = fresh;
    if (fresh.status !== 'active') {
      await sender.settleAll();
      await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
      return;
    }
    const room = MAX_IN_FLIGHT - sender.inFlight;
    if (room <= 0) {
      await sender.settleOne();
      return;
    }
    // Near the end of the run, no more slots than rows (follow-ups go in the next round).
    if (run && sendable < 2 * MAX_ROUND) {
      const windowsOnly = (await sender.limit.remaining()) <= 0;
      sendable = await countSendable(ctx, run, 4 * MAX_ROUND, windowsOnly, cursor);
    }
    const want = Math.min(MAX_ROUND, room, run ? Math.max(1, sendable) : MAX_ROUND);
    const grant = await takeSlots(sql, keys, want);
    if (grant.granted === 0) {
      await sleep(Math.min(grant.waitMs, 200));
      return;
    }
    const sent = await sendInSlots(ctx, run, sender, grant, cursor);
    sendable -= sent.taken;
    if (sent.taken > 0 || !sent.ranOut) return;
    // Nothing to send now: finished, stopped, waiting for retries, or held by the messaging
    // limit. Count again before the next grant.
    sendable = 0;
    await sender.settleAll();
    if (!run) return 'done';
    const state = await runState(ctx, run.id);
    if (state.status !== 'running') return 'stopped';
    if (state.pending === 0) {
      await completeRunIfDone(ctx, run.id);
      return 'done';
    }
    const wait = state.nextAt ? state.nextAt.getTime() - Date.now() : 1000;
    if (state.nextAt && wait > WAIT_AWAY_MS) {
      await markWaiting(sql, run.id, state.nextAt);
      log.info({ until: state.nextAt, pending: state.pending }, 'run waits for its next rows');
      return 'waiting';
    }
    await sleep(Math.max(20, Math.min(wait, 500, deadline - Date.now())));
  };
  try {
    while (Date.now() < deadline && !sender.stopped && !ctx.stopping.aborted) {
      try {
        const result = await round();
        if (result) return result;
      } catch (error) {
        // The database went away (a restart, a failover): keep the lease and the sends in
        // flight, and go on once it is back (postgres.js reconnects on the next query). Failing
        // the job instead would leave the run unsent until its lease lapsed, long after the
        // database is back (docs/decisions.md, Sending: "A database outage is waited out").
        log.warn({ err: error }, 'dispatch round failed; trying again');
        await sleep(1000);
      }
    }
    return sender.stopped ? 'stopped' : 'more';
  } finally {
    await sender.settleAll();
  }
}

const CLAIM_AHEAD_MS = 20;

/**
 * Claims rows for the granted slots a few at a time, just before they are due, and sends each at
 * its slot. Slots left when the rows run out are not given back: other processes may hold
 * slots after them, and a refund would book those twice (so near a run's end a round asks for
 * no more slots than rows, see countSendable). Answers how many rows it took, and
 * whether the pending rows ran out before the slots did.
 */
async function sendInSlots(
  ctx: AppContext,
  run: RunForSending | undefined,
  sender: Sender,
  grant: Grant,
  cursor: Cursor,
): Promise<{ taken: number; ranOut: boolean }> {
  const grantedAt = Date.now();
  const slotAt = (slot: number) => grantedAt + grant.delayMs + slot * grant.intervalMs;
  let slot = 0;
  let took = 0;
  let ranOut = false;
  while (slot < grant.granted) {
    // Slots this process reached too late are lost rather than sent in a burst; claiming rows
    // for them only to hand them back would leave them `unknown` if the process died meanwhile
    // (a starved event loop reaches many slots late at once).
    while (slot < grant.granted && slotAt(slot) < Date.now() - LATE_MS) slot++;
    if (slot >= grant.granted) break;
    const dueBy = Date.now() + CLAIM_AHEAD_MS;
    let count = 0;
    while (slot + count < grant.granted && slotAt(slot + count) <= dueBy) count++;
    if (count === 0) {
      await sleep(Math.max(1, slotAt(slot) - Date.now() - CLAIM_AHEAD_MS / 2));
      continue;
    }
    const { rows, taken } = await claim(ctx, run, sender, count, cursor);
    const first = slot;
    rows.forEach((row, i) => {
      sender.send(row, slotAt(first + i));
    });
    slot += rows.length;
    took += taken;
    if (taken < count) {
      ranOut = true;
      break;
    }
  }
  return { taken: took, ranOut };
}

/**
 * Where a dispatch's next template claim starts (the highest id it took): rows waiting for
 * their send window stay pending before those still to send, and each claim would otherwise
 * pass them all. Back to the start once the rows after it run out, so that rows coming due
 * behind it (a window opening, a retry) are found.
 */
type Cursor = { after: number };

async function claim(
  ctx: AppContext,
  run: RunForSending | undefined,
  sender: Sender,
  count: number,
  cursor: Cursor,
): Promise<Claim> {
  const { sql } = ctx.database;
  const direct = await claimDirectRows(sql, ctx.workerId, count, sender.account.id);
  if (!run || direct.taken >= count) return direct;
  const room = count - direct.taken;
  const allowed = await sender.limit.remaining();
  // Past the 24-hour limit only recipients inside an open window may get a template.
  const rules = {
    minIntervalMinutes: ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES,
    openWindowsOnly: allowed <= 0,
    cap: run.cap,
    sendWindow: run.sendWindow,
  };
  const limit = allowed > 0 ? Math.min(room, allowed) : room;
  // The one row that failed (a 5xx, a refused connection) while no other did is passed over
  // while another is due: the next probe is another row, whose failure too makes it the
  // account's outage, which uses up no attempts. Taken again first, the lone row would count a
  // second attempt of its own and could end `failed` in an outage (docs/decisions.md, Sending:
  // Retries). When no other row is due and no send is in flight (whose answer may make it an
  // outage), it is taken: a message the provider chokes on gives up.
  const { failingRows } = ctx.sending.healthOf(sender.account.id);
  const lone = failingRows.size === 1 ? [...failingRows][0] : undefined;
  let templates = await claimTemplateRows(sql, run, ctx.workerId, limit, {
    ...rules,
    after: cursor.after,
    passOver: lone,
  });
  if (templates.taken < limit && cursor.after > 0) {
    const fromStart = await claimTemplateRows(sql, run, ctx.workerId, limit - templates.taken, {
      ...rules,
      passOver: lone,
    });
    templates = joined(templates, fromStart);
    cursor.after = fromStart.lastId;
  } else cursor.after = Math.max(cursor.after, templates.lastId);
  if (templates.taken === 0 && lone !== undefined && sender.inFlight === 0) {
    templates = await claimTemplateRows(sql, run, ctx.workerId, limit, rules);
    cursor.after = Math.max(cursor.after, templates.lastId);
  }
  // a window closed on a backlog: put it all back at once rather than a few rows a claim
  if (templates.deferred > 0 && run.sendWindow) await deferOutsideWindow(sql, run, run.sendWindow);
  if (allowed > 0) sender.limit.consume(templates.rows.length);
  return {
    rows: [...direct.rows, ...templates.rows],
    taken: direct.taken + templates.taken,
    lastId: templates.lastId,
    deferred: templates.deferred,
  };
}

/** Two claims of one round as one. */
function joined(first: Claim, second: Claim): Claim {
  return {
    rows: [...first.rows, ...second.rows],
    taken: first.taken + second.taken,
    lastId: second.lastId,
    deferred: first.deferred + second.deferred,
  };
}

/**
 * How many of the run's template rows are pending and due (only those inside an open window
 * once the messaging limit is reached), counted up to `bound`. A grant of more slots than there
 * are rows to send wastes the rest (they cannot be given back): a run that ends while others
 * still send would waste up to a quarter of a second of the account's pace, and a run held by
 * the messaging limit would take slots from the others every half second.
 */
async function countSendable(
  ctx: AppContext,
  run: RunForSending,
  bound: number,
  openWindowsOnly: boolean,
  cursor: Cursor,
): Promise<number> {
  const { sql } = ctx.database;
  const after = await countDueTemplateRows(sql, run, bound, openWindowsOnly, cursor.after);
  // none after the cursor: the claims go back to the start, and so does the count
  if (after > 0 || cursor.after === 0) return after;
  return countDueTemplateRows(sql, run, bound, openWindowsOnly);
}

async function runState(ctx: AppContext, runId: string) {
  const row = await runProgress(ctx.database.sql, runId);
  return {
    status: row?.status ?? 'missing',
    pending: row?.pending ?? 0,
    nextAt: row?.nextAt ? new Date(row.nextAt) : null,
  };
}
