import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/client';
import type { messages, runs } from '../db/schema';
import type { AppliedCap } from '../delivery/frequency-cap';
import { type AppliedWindow, DEADLINE_REASON } from '../delivery/send-window';

/**
 * The raw SQL of sending, each statement a named function: the claims, the pace and the stored
 * outcomes run on every round of every dispatch (measured at 1,800 sends a second, and a pace
 * held within 3%), and say what drizzle's builder cannot (`for update skip locked` in a CTE
 * feeding an update, `unnest` of parallel arrays, GCRA on the database's clock). Row types come
 * from the schema; status literals stay literals, as the partial indexes' predicates need them.
 */

type Message = typeof messages.$inferSelect;
type Fragment = PendingQuery<Row[]>;
type Run = typeof runs.$inferSelect;
export type MessageStatus = Message['status'];

/** A row claimed for sending, marked `sending` in the same statement. */
export type ClaimedRow = Pick<
  Message,
  'id' | 'kind' | 'phone' | 'params' | 'body' | 'attempts' | 'campaignId' | 'runId'
>;

/**
 * The rows to send, and how many were taken in all: rows found opted out or expired are taken
 * too (and closed), so fewer rows to send does not mean that the pending ones ran out.
 */
export type Claim = {
  rows: ClaimedRow[];
  taken: number;
  /** The highest id taken (0: none): where the run's next claim may start (see `after`). */
  lastId: number;
  /** Rows taken that went back to wait for their send window. */
  deferred: number;
};

/** What a send's outcome does to its message row. */
export type RowUpdate = {
  id: Message['id'];
  /** `held_out`: Meta's experiment group (130472, docs/providers.md): not sent, not failed. */
  status: Extract<MessageStatus, 'sent' | 'failed' | 'pending' | 'unknown' | 'held_out'>;
  providerMessageId: Message['providerMessageId'];
  error: Message['error'];
  /** The provider's own code and title of a refusal (Meta's), kept on the message. */
  errorCode?: number | null;
  errorTitle?: string | null;
  /** The sender that sent it (a direct message's is known only then). */
  senderId?: string;
  /** When a `pending` row may be tried again. */
  retryAt: Date | null;
  /** A 429 or a 401 is not an attempt of this message: the provider refused the account. */
  refundAttempt: boolean;
};

type RunKey = { id: Run['id']; campaignId: Run['campaignId'] };

/** The end of a claim's update: the rows `picked` are this worker's, and come back. */
const takenBy = (sql: Sql, worker: string) => sql`
  attempts = m.attempts + case when p.closed is null and p.defer_until is null then 1 else 0 end,
  sending_at = case when p.defer_until is null then now() else m.sending_at end,
  sending_by = case when p.defer_until is null then ${worker}::uuid end, updated_at = now()
  from picked p
  where m.id = p.id
  returning m.id::float8 as id, m.kind, m.phone, m.params, m.body, m.attempts, m.status,
    m.campaign_id as "campaignId", m.run_id as "runId"`;

const NOTHING: Claim = { rows: [], taken: 0, lastId: 0, deferred: 0 };

const sendingOnly = (rows: (ClaimedRow & { status: MessageStatus })[]): Claim => ({
  rows: rows.filter((row) => row.status === 'sending'),
  taken: rows.length,
  lastId: rows.reduce((last, row) => Math.max(last, Number(row.id)), 0),
  deferred: rows.filter((row) => row.status === 'pending').length,
});

/**
 * The condition on `messages m` for a run's template rows that are pending and due (with
 * `openWindowsOnly`, only those to a phone inside an open window with the row's sender: rule 34).
 * It leads with the campaign,
 * so that the planner uses `messages_campaign_idx`.
 */
export function dueTemplateRows(sql: Sql, run: RunKey, openWindowsOnly: boolean) {
  return sql`m.campaign_id = ${run.campaignId} and m.run_id = ${run.id} and m.status = 'pending'
    and m.kind = 'template' and (m.next_attempt_at is null or m.next_attempt_at <= now())
    ${openWindowsOnly ? sql`and exists (select 1 from conversation_windows w where w.phone = m.phone and w.sender_id = coalesce(m.sender_id, default_sender_id()) and w.window_expires_at > now())` : sql``}`;
}

/**
 * Claims up to `limit` pending template rows of a running run, in id order, and marks them
 * `sending` before any call leaves (a crash from here on leaves them `sending`, which recovery
 * turns into `unknown`, never into a second send). SKIP LOCKED lets several dispatchers share a
 * run. With `openWindowsOnly` (the 24-hour messaging limit is reached), only recipients inside
 * an open conversation window are taken. A row taken is closed `skipped` instead of sent when
 * its phone was opted out since the snapshot, when another run of the campaign sent it its
 * template less than `minIntervalMinutes` ago, or when its phone has had its `cap` of templates
 * (docs/design.md, rule 35): checked here, as the row leaves, so that no way to a send (a
 * schedule, a start by hand, an operator's retry, another campaign running at once) gets round
 * it.
 */
export async function claimTemplateRows(
  sql: Sql,
  run: RunKey,
  worker: string,
  limit: number,
  rules: {
    minIntervalMinutes: number;
    openWindowsOnly?: boolean;
    cap?: AppliedCap | null;
    sendWindow?: ClaimWindow | null;
    /**
     * Only rows after this id (a dispatcher's cursor): rows waiting for their window stay
     * pending before the rows still to send, and a claim from the start would pass all of them
     * every time (a run with most of its rows waiting claimed in time growing with the run).
     */
    after?: number;
    /** A row not to take: the one row failing alone in a provider outage (see claim()). */
    passOver?: number;
  },
): Promise<Claim> {
  if (limit <= 0) return NOTHING;
  const due = sql`${dueTemplateRows(sql, run, rules.openWindowsOnly ?? false)}
    and m.id > ${rules.after ?? 0} and m.id <> ${rules.passOver ?? 0}
    and exists (select 1 from runs r where r.id = ${run.id} and r.status = 'running')`;
  const { cap } = rules;
  const taken = sql`select m.id, m.time_zone, m.phone from messages m
    where ${due}
    order by m.id
    limit ${limit}
    for update of m skip locked`;
  const rows = await sql<(ClaimedRow & { status: MessageStatus })[]>`
    with ${decided(
      sql,
      // With a cap, only the rows whose phone's lock this claim takes (a phone another claim
      // holds is left for a later round), in a level above the limit: in one level the planner
      // may call the lock function on rows the other conditions (or the limit) then leave. The
      // cap's count then runs per row in a snapshot taken after its lock (frequency_cap_count,
      // migration 0023): it sees every claim that held the lock before and committed, so two
      // campaigns cannot both send a phone its last one.
      cap
        ? sql`select id, time_zone from (${taken}) t
            where pg_try_advisory_xact_lock(${CAP_LOCKS}, hashtext(phone))`
        : taken,
      closedReason(sql, rules.minIntervalMinutes, cap ?? null, rules.sendWindow),
      rules.sendWindow,
    )}
    update messages m set ${closeOrTake(sql, worker)}`;
  return sendingOnly(rows);
}

/**
 * The first of the advisory locks' two keys for the phones of capped claims (the second is the
 * phone's hash): a space of its own, so that no other lock of the service meets them.
 */
const CAP_LOCKS = 0x6361_70; // "cap"

/**
 * A run's send window as its claims check it again (docs/design.md, rule 37): the snapshot
 * placed each row at its window's opening, but a row may come due outside it (a retry, a
 * backlog past the window's end, a window changed since).
 */
export type ClaimWindow = { window: AppliedWindow };

/**
 * The CTEs deciding each row a claim takes (`taken`: its id and zone), as `picked` (id, closed,
 * defer_until): sent, closed with `closed`, or put back to wait for its window until
 * `defer_until`. `closed` reads the row as `m` and its window's next opening as `w.opens` (now
 * while it is open; null when none comes within two weeks), computed once per zone the claim meets:
 * per row, the planner called it again for each use, up to five times (docs/development.md,
 * the send windows' benchmarks).
 */
function decided(
  sql: Sql,
  taken: Fragment,
  closed: Fragment,
  claim: ClaimWindow | null | undefined,
) {
  // a row snapshotted before the campaign had a window has no zone: it is not held to one
  const openings = claim
    ? sql`select zone, case when zone is null then now() else next_send_opening(zone, now(),
        ${claim.window.from}::time, ${claim.window.to}::time, ${claim.window.daysMask}::int) end as opens
      from (select distinct time_zone as zone from taken) z offset 0`
    : sql`select null::text as zone, null::timestamptz as opens`;
  return sql`
    taken as materialized (${taken}),
    openings as materialized (${openings}),
    picked as (
      select id, closed, case when closed is null and opens > now() then opens end as defer_until
      from (
        select m.id, ${closed} as closed, w.opens
        from taken t join messages m on m.id = t.id
          left join openings w on w.zone is not distinct from t.time_zone
        offset 0) d
    )`;
}

/**
 * Why a pending template row `m` taken by a claim is closed instead of sent; null: sent, or put
 * back when its window (`w.opens`) is not open now.
 */
function closedReason(
  sql: Sql,
  minutes: number,
  cap: AppliedCap | null,
  claim: ClaimWindow | null | undefined,
) {
  // the deadline is the row's `expires_at`, set by the snapshot (an operator's retry clears it);
  // an opening at now past it is a row still waiting at the deadline
  return sql`case
    when exists (select 1 from opt_outs o where o.phone = m.phone) then 'opted out'
    ${claim ? sql`when w.opens is null or w.opens > coalesce(m.expires_at, 'infinity') then ${DEADLINE_REASON}` : sql``}
    ${claim ? sql`when w.opens > now() then null` : sql``}
    ${minutes > 0 ? sql`when ${sentRecentlyByAnotherRun(sql, minutes)} then ${`already sent less than ${minutes} minutes ago by another run of this campaign (MIN_SCHEDULE_INTERVAL_MINUTES)`}` : sql``}
    ${cap ? sql`when ${capReached(sql, cap)} then ${capReason(cap)}` : sql``}
  end`;
}

/**
 * A claim's update: the rows closed are `skipped` with their reason (`expired` past the
 * window's deadline), those outside their window wait for it again, the others are `sending`.
 */
const closeOrTake = (sql: Sql, worker: string) => sql`
  status = (case when p.defer_until is not null then 'pending' when p.closed is null then 'sending'
    when p.closed = ${DEADLINE_REASON} then 'expired' else 'skipped' end)::message_status,
  error = coalesce(p.closed, m.error),
  next_attempt_at = coalesce(p.defer_until, m.next_attempt_at),
  ${takenBy(sql, worker)}`;

/** The skip reason of a capped row: `frequency_cap`, then the cap in words. */
const capReason = (cap: AppliedCap) =>
  `frequency_cap: ${cap.max} ${cap.categories.join(' or ')} template${cap.max === 1 ? '' : 's'} in ${cap.days} day${cap.days === 1 ? '' : 's'} reached`;

/**
 * Whether m's phone has had `cap.max` templates of the cap's categories sent in the last
 * `cap.days` days, or being sent now, across every campaign (frequency_cap_count, migration
 * 0023). Sent is what rule 22 calls sent: taken by the provider and not failed since (a 131049
 * refusal after acceptance keeps its `sent_at`); the row itself never counts (an operator's
 * retry of it). A send whose outcome is `unknown` is not counted.
 */
function capReached(sql: Sql, cap: AppliedCap) {
  return sql`frequency_cap_count(m.phone, m.id, ${cap.categories}::template_category[], ${cap.days}::int) >= ${cap.max}`;
}

/**
 * Whether the campaign of template row `m` sent its template to m's phone from another run
 * within the last `minutes`, that run's slot being less than `minutes` before m's run's slot (or
 * after it). The slots matter because a run's sends come after its slot, as it progresses: an
 * hourly schedule, which the interval of 60 accepts, sent a phone at 10:00:40 and came back to
 * it at 11:00:10, and skipped it. A run started by hand has its start as its slot, and a retry's
 * rows belong to their earlier run, so both are still caught. Same-run rows do not count: an
 * operator's retry of a run's own `unknown` or `failed` rows is a knowing second send. One probe
 * of messages_phone_sent_idx (phone, sent_at) per row taken: a phone has few template sends
 * within an interval.
 */
function sentRecentlyByAnotherRun(sql: Sql, minutes: number) {
  return sql`exists (
    select 1 from messages s
      join runs sr on sr.id = s.run_id
      join runs mr on mr.id = m.run_id
    where s.phone = m.phone and s.kind = 'template'
      and s.sent_at > now() - make_interval(mins => ${minutes})
      and s.campaign_id = m.campaign_id and s.run_id <> m.run_id
      and sr.scheduled_for > mr.scheduled_for - make_interval(mins => ${minutes}))`;
}

/**
 * The condition on `messages m` for follow-ups and free-form messages that may go now. Those of
 * a paused campaign wait for its resume, as its templates do (a reply kept sending the
 * follow-up of a campaign paused because that very message was wrong); one whose window has
 * closed is still taken, to be closed `expired`. Its first terms are those of the partial index
 * `messages_pending_direct_idx`.
 */
export function dueDirectRows(sql: Sql) {
  return sql`m.status = 'pending' and m.kind <> 'template'
    and (m.next_attempt_at is null or m.next_attempt_at <= now())
    and (m.campaign_id is null or m.expires_at <= now() or not exists (
      select 1 from campaigns c where c.id = m.campaign_id and c.status = 'paused'))`;
}

/**
 * Claims follow-ups and free-form messages, which go ahead of template traffic. One whose window
 * closed before it could be sent ends `expired`; one of a cancelled campaign (a reply that
 * raced the cancel) or to an opted-out phone, `skipped`.
 */
export async function claimDirectRows(
  sql: Sql,
  worker: string,
  limit: number,
  senderId: string,
): Promise<Claim> {
  if (limit <= 0) return NOTHING;
  const rows = await sql<(ClaimedRow & { status: MessageStatus })[]>`
    with picked as (
      select m.id, case
          when m.expires_at <= now() then 'expired'
          when c.status = 'cancelled' then 'cancelled'
          when exists (select 1 from opt_outs o where o.phone = m.phone) then 'opted out'
        end as closed, null::timestamptz as defer_until
      from messages m left join campaigns c on c.id = m.campaign_id
      where ${dueDirectRows(sql)} and ${directSender(sql)} = ${senderId}::uuid
      order by m.id
      limit ${limit}
      for update of m skip locked
    )
    update messages m set
      status = (case when p.closed is null then 'sending' when p.closed = 'expired' then 'expired'
        else 'skipped' end)::message_status,
      error = case when p.closed is null then m.error
        when p.closed = 'expired' then 'the conversation window closed before it could be sent'
        else p.closed end,
      ${takenBy(sql, worker)}`;
  return sendingOnly(rows);
}

/**
 * The sender of a follow-up or free-form message `m` (its campaign `c` left-joined): its own, else
 * its campaign's, else the default sender (a message stored before senders, or one with no
 * campaign).
 */
const directSender = (sql: Sql) => sql`coalesce(m.sender_id, c.sender_id, default_sender_id())`;

/** The senders with a follow-up or free-form message waiting to be sent now. */
export async function sendersWithDirectRows(sql: Sql): Promise<string[]> {
  const rows = await sql<{ senderId: string }[]>`
    select distinct ${directSender(sql)}::text as "senderId"
    from messages m left join campaigns c on c.id = m.campaign_id
    where ${dueDirectRows(sql)}`;
  return rows.map((row) => row.senderId);
}

/**
 * Stores a batch of outcomes in one statement. A row is only touched while it is `sending` (or
 * `unknown`: a real outcome beats a guess made when its worker looked dead).
 */
export async function writeOutcomes(sql: Sql, updates: RowUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await sql`
    update messages m set
      status = v.status::message_status,
      provider_message_id = coalesce(v.provider_id, m.provider_message_id),
      error = v.error,
      error_code = coalesce(v.error_code, m.error_code),
      error_title = coalesce(v.error_title, m.error_title),
      sender_id = coalesce(m.sender_id, v.sender_id),
      attempts = m.attempts - v.refund,
      next_attempt_at = v.retry_at,
      sent_at = case when v.status = 'sent' then now() else m.sent_at end,
      failed_at = case when v.status = 'failed' then now() else m.failed_at end,
      sending_by = null,
      updated_at = now()
    from unnest(
      ${updates.map((u) => u.id)}::bigint[],
      ${updates.map((u) => u.status)}::text[],
      ${updates.map((u) => u.providerMessageId)}::text[],
      ${updates.map((u) => u.error)}::text[],
      ${updates.map((u) => u.retryAt?.toISOString() ?? null)}::text[]::timestamptz[],
      ${updates.map((u) => (u.refundAttempt ? 1 : 0))}::int[],
      ${updates.map((u) => u.errorCode ?? null)}::int[],
      ${updates.map((u) => u.errorTitle?.slice(0, 200) ?? null)}::text[],
      ${updates.map((u) => u.senderId ?? null)}::uuid[]
    ) as v(id, status, provider_id, error, retry_at, refund, error_code, error_title, sender_id)
    where m.id = v.id and m.status in ('sending', 'unknown')`;
}

/** How many of the run's template rows after `after` are pending and due, counted up to `bound`. */
export async function countDueTemplateRows(
  sql: Sql,
  run: RunKey,
  bound: number,
  openWindowsOnly: boolean,
  after = 0,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from (
      select 1 from messages m where ${dueTemplateRows(sql, run, openWindowsOnly)}
        and m.id > ${after} limit ${bound}
    ) due`;
  return row?.n ?? 0;
}

/**
 * A run's status, its pending template rows, and when the first of them may be sent (null when
 * one may be now: a row not yet tried, or one a messaging limit holds).
 */
export async function runProgress(sql: Sql, runId: Run['id']) {
  const [row] = await sql<{ status: Run['status']; pending: number; nextAt: string | null }[]>`
    select r.status, p.pending,
      case when p.due_now then null else p.next_at end as "nextAt"
    from runs r, lateral (
      select count(*)::int as pending, min(m.next_attempt_at) as next_at,
        coalesce(bool_or(m.next_attempt_at is null or m.next_attempt_at <= now()), false) as due_now
      from messages m
      where m.campaign_id = r.campaign_id and m.run_id = r.id and m.status = 'pending'
        and m.kind = 'template') p
    where r.id = ${runId}`;
  return row;
}

/**
 * Puts back every row of the run that is due now but outside its send window, each to its
 * zone's next opening (computed once per zone): when a window closes on a backlog, one statement
 * instead of claims that each put back a few rows, and a count of sendable rows that counted
 * them. Answers how many.
 */
export async function deferOutsideWindow(
  sql: Sql,
  run: RunKey,
  claim: ClaimWindow,
): Promise<number> {
  const { window } = claim;
  const due = dueTemplateRows(sql, run, false);
  const result = await sql`
    with zones as (
      select zone, next_send_opening(zone, now(), ${window.from}::time, ${window.to}::time,
        ${window.daysMask}::int) as opens
      from (select distinct m.time_zone as zone from messages m
        where ${due} and m.time_zone is not null) d
    )
    update messages m set next_attempt_at = z.opens, updated_at = now()
    from zones z
    where ${due} and m.time_zone = z.zone and z.opens > now()
      and z.opens <= coalesce(m.expires_at, 'infinity')`;
  return result.count;
}

/**
 * Clears the run's wait when a pending row of it is due now, or before the moment the run waits
 * for: one came while its dispatcher decided to wait (a retry, a snapshot batch whose recipients'
 * window opens earlier, committed between the dispatcher's count and its `markWaiting`, which
 * then wrote a later moment over the batch's wake). Answers whether it did; the dispatch then
 * queued looks again and waits for the right moment.
 */
export async function wakeIfDue(sql: Sql, runId: Run['id']): Promise<boolean> {
  const rows = await sql`
    update runs r set waiting_until = null
    where r.id = ${runId} and exists (
      select 1 from messages m
      where m.campaign_id = r.campaign_id and m.run_id = r.id and m.status = 'pending'
        and m.kind = 'template' and (m.next_attempt_at is null or m.next_attempt_at <= now()
          or m.next_attempt_at < r.waiting_until))
    returning r.id`;
  return rows.length > 0;
}

/** Leaves the run to recovery until `until`, when its first pending row is due. */
export async function markWaiting(sql: Sql, runId: Run['id'], until: Date): Promise<void> {
  await sql`update runs set waiting_until = ${until.toISOString()}::timestamptz where id = ${runId}`;
}

/** A reservation of slots on the shared paces, as the database computed it. */
export type SlotReservation = {
  granted: number;
  delayMs: number;
  intervalMs: number;
  /** The slots worth a round trip. */
  need: number;
  /** The buckets found: fewer than asked means one is missing. */
  buckets: number;
};

/**
 * Reserves up to `want` slots in every bucket of `keys` at once (GCRA), on the database's
 * clock, and no slot beyond `horizonMs` from now nor fewer than `minChunkS` seconds' worth of
 * them (see pacing.ts, which reads the answer).
 */
export async function reserveSlots(
  sql: Sql,
  keys: string[],
  want: number,
  { horizonMs, minChunkS }: { horizonMs: number; minChunkS: number },
): Promise<SlotReservation | undefined> {
  const [row] = await sql<SlotReservation[]>`
    with b as (
      select key, rate_per_second as rate, tat, blocked_until
      from rate_buckets where key = any(${keys}::text[]) order by key for update
    ), p as (
      select clock_timestamp() as now, max(1.0 / rate) as interval_s, count(*)::int as buckets,
        greatest(clock_timestamp(), max(tat), coalesce(max(blocked_until), '-infinity')) as start
      from b
    ), c as (
      -- the least worth a round trip: a twentieth of a second of slots (unless fewer are wanted)
      select p.*, least(${want}::int, ceil(${minChunkS}::float8 / p.interval_s::float8))::int as need,
        floor(extract(epoch from p.now + make_interval(secs => ${horizonMs / 1000}) - p.start)::float8 / p.interval_s)::int + 1 as free
      from p
    ), g as (
      select c.*, (case when c.free >= c.need then least(${want}::int, c.free) else 0 end) as n
      from c
    ), u as (
      update rate_buckets r set tat = case
        -- the slowest bucket sets the grid: its frontier moves past the last slot
        when 1.0 / r.rate_per_second >= g.interval_s then greatest(
          r.tat + make_interval(secs => g.n / r.rate_per_second),
          g.start + make_interval(secs => (g.n - 1) * g.interval_s + 1.0 / r.rate_per_second))
        -- a faster one (the account under a slow campaign) only counts the sends, so that other
        -- campaigns' slots interleave with these sparser ones
        else greatest(r.tat, g.now) + make_interval(secs => g.n / r.rate_per_second) end
      from g where r.key = any(${keys}::text[]) and g.n > 0
    )
    select n as granted, extract(epoch from start - now)::float8 * 1000 as "delayMs",
      interval_s * 1000 as "intervalMs", need, buckets from g`;
  return row;
}

/**
 * Running runs that no live worker's lease covers (a crashed job, a lost kick) and that are not
 * waiting for their next rows (markWaiting), and whether each has pending template rows.
 */
export async function unattendedRuns(sql: Sql, deadAfterSeconds: number) {
  return sql<{ id: Run['id']; pending: boolean }[]>`
    select r.id, exists (
      select 1 from messages m
      where m.campaign_id = r.campaign_id and m.run_id = r.id and m.status = 'pending' and m.kind = 'template') as pending
    from runs r
    where r.status = 'running'
      and (r.waiting_until is null or r.waiting_until <= now())
      and not exists (
        select 1 from dispatch_leases l join workers w on w.id = l.worker_id
        where l.key = 'run:' || r.id and l.expires_at > now()
          and w.heartbeat_at > now() - make_interval(secs => ${deadAfterSeconds}))`;
}
