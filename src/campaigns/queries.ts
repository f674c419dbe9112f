import type { Sql, TransactionSql } from 'postgres';
import type { templates } from '../db/schema';
import type { AppliedCap } from '../delivery/frequency-cap';
import { PHONE_ZONE_MAX_PREFIX } from '../delivery/phone-zones.data';
import { zoneOf, zoneTables } from '../delivery/recipient-zone';
import { type AppliedWindow, DEADLINE_REASON } from '../delivery/send-window';
import { sendParameters } from '../templates/component-parameters';
import { renderSql } from '../templates/render-sql';
import type { CampaignRow, RunRow } from './campaign-json';

/**
 * The campaigns' raw SQL: what drizzle's builder cannot say (two lock strengths in one select,
 * the renderer's SQL fragments) or says slower (the audience snapshot, measured: a million
 * contacts in seconds). Everything else goes through the builder. Row types come from the schema;
 * the columns are aliased to its names, and no timestamp is read (raw queries read them as text).
 */

type Tx = Sql | TransactionSql;
type TemplateRow = typeof templates.$inferSelect;

/** A run as its snapshot batch needs it, with the lists and template it was opened with. */
export type SnapshotRun = Pick<RunRow, 'id' | 'campaignId' | 'status'> & {
  /** The campaign's sender: its messages carry it (per-sender limits and figures). */
  senderId: CampaignRow['senderId'];
  snapshotDone: boolean;
  listIds: CampaignRow['listIds'];
  parameters: TemplateRow['parameters'];
  parameterFormat: TemplateRow['parameterFormat'];
  components: TemplateRow['components'];
  componentParameters: TemplateRow['componentParameters'];
  holdoutPercent: CampaignRow['holdoutPercent'];
  /** What decides its delivery policy (docs/design.md, rule 37): see snapshotPolicy. */
  category: TemplateRow['category'];
  sendWindowMode: CampaignRow['sendWindowMode'];
  sendWindowFrom: CampaignRow['sendWindowFrom'];
  sendWindowTo: CampaignRow['sendWindowTo'];
  sendWindowDays: CampaignRow['sendWindowDays'];
  sendWindowDeadlineHours: CampaignRow['sendWindowDeadlineHours'];
  scheduleLocalAt: CampaignRow['scheduleLocalAt'];
  scheduleTimezone: CampaignRow['scheduleTimezone'];
  /** The last contact already in the run: the greater of the cursor and the last row. */
  resumeAfter: RunRow['snapshotCursor'];
};

/**
 * The run, locked for its batch (two workers on one run take turns), then read with its
 * campaign in a statement after the lock: a PATCH of the campaign's send window holds its runs
 * (`for key share`) until it commits, so a batch either commits before the change (and the
 * change's job places its rows again) or reads the new window.
 */
export async function lockRunForSnapshot(
  tx: TransactionSql,
  runId: string,
): Promise<SnapshotRun | undefined> {
  const locked = await tx`select 1 from runs where id = ${runId} for update`;
  if (locked.length === 0) return undefined;
  return readSnapshotRun(tx, runId);
}

/** The run with its campaign and template as a snapshot batch reads them (lockRunForSnapshot). */
export async function readSnapshotRun(
  tx: TransactionSql,
  runId: string,
): Promise<SnapshotRun | undefined> {
  const [run] = await tx<SnapshotRun[]>`
    select r.id, r.campaign_id as "campaignId", r.status, c.sender_id as "senderId",
      r.snapshot_done_at is not null as "snapshotDone",
      coalesce(r.list_ids, c.list_ids) as "listIds", t.parameters,
      t.parameter_format as "parameterFormat", t.components,
      t.component_parameters as "componentParameters", c.holdout_percent as "holdoutPercent",
      t.category, c.send_window_mode as "sendWindowMode", c.send_window_from::text as "sendWindowFrom",
      c.send_window_to::text as "sendWindowTo", c.send_window_days as "sendWindowDays",
      c.send_window_deadline_hours as "sendWindowDeadlineHours",
      -- as the run was opened: a local-time schedule's time (none for a start by hand, sent now)
      r.local_at::text as "scheduleLocalAt", r.timezone as "scheduleTimezone",
      greatest(r.snapshot_cursor, (
        select m.contact_id from messages m
        where m.run_id = r.id and m.kind = 'template'
        order by m.contact_id desc limit 1)) as "resumeAfter"
    from runs r join campaigns c on c.id = r.campaign_id
      join templates t on t.id = coalesce(r.template_id, c.template_id)
    where r.id = ${runId}`;
  return run;
}

/** A commit lost in a crash loses its cursor with its rows: the batch is simply done again. */
export async function commitAsynchronously(tx: TransactionSql): Promise<void> {
  await tx`set local synchronous_commit = off`;
}

/** How many contacts the next batch after `after` holds (at most `limit`), its middle and last. */
export async function batchBounds(
  tx: TransactionSql,
  listIds: string[],
  after: string,
  limit: number,
): Promise<{ scanned: number; middle: string | null; last: string | null }> {
  const [bounds] = await tx<{ scanned: number; middle: string | null; last: string | null }[]>`
    with ids as (${audienceIds(tx, listIds, after, null, limit)})
    select (select count(*) from ids)::int as scanned,
      (select id from ids order by id
        offset greatest((select count(*) from ids) / 2 - 1, 0) limit 1) as middle,
      (select id from ids order by id desc limit 1) as last`;
  if (!bounds) throw new Error('snapshot bounds returned no row');
  return bounds;
}

/**
 * The audience's contact ids after `after` (and up to `upTo`), at most `limit`, in id order: one
 * ordered range scan per list (list_members' primary key), merged (Merge Append) and
 * deduplicated as it streams (Unique), so no hash or sort of the lists' ids.
 */
function audienceIds(
  tx: TransactionSql,
  listIds: string[],
  after: string,
  upTo: string | null,
  limit: number | null,
) {
  const perList = listIds.map(
    (listId) => tx`(
      select contact_id from list_members
      where list_id = ${listId}::uuid and contact_id > ${after}::uuid
        ${upTo ? tx`and contact_id <= ${upTo}::uuid` : tx``}
      order by contact_id ${limit ? tx`limit ${limit}` : tx``})`,
  );
  const merged = perList.reduce((all, one) => tx`${all} union all ${one}`);
  return tx`
    select distinct on (contact_id) contact_id as id from (${merged}) m
    order by contact_id ${limit ? tx`limit ${limit}` : tx``}`;
}

/**
 * The delivery policy a snapshot places each message by (docs/design.md, rule 37): the send
 * window and the local-time schedule, read in each recipient's zone, the campaign's zone for
 * those of no known zone, and the deadline after which a message still waiting is not sent.
 */
export type SnapshotPolicy = {
  window: AppliedWindow | null;
  /** A local-time schedule's wall-clock time (2026-12-01T10:00). */
  localAt: string | null;
  campaignZone: string;
  /** PostgreSQL's zone names (knownZones), against which a `timezone` attribute is checked. */
  knownZones: string[];
};

/** Inserts the message rows of the audience in (after, upTo]; answers how many. */
export async function insertAudienceRange(
  tx: TransactionSql,
  run: SnapshotRun,
  after: string,
  upTo: string,
  maxParameterChars: number,
  policy: SnapshotPolicy | null = null,
): Promise<number> {
  // a named template's values in the order of its names, then the header's and buttons':
  // `params` stays text[] (rule 5)
  const render = renderSql(tx, sendParameters(run), tx`c.attributes`, maxParameterChars);
  const placed = policy ? placedByPolicy(tx, run, policy) : undefined;
  // The command tag counts the rows: no RETURNING of every row to count them.
  const result = await tx`
    with ids as (${audienceIds(tx, run.listIds, after, upTo, null)}),
    rendered as (
      -- OFFSET 0 keeps each level a level: pulled up, its columns would be recomputed
      select id, phone, ${placed ? tx`zone_attribute, ` : tx``}${render.params} as params,
        ${render.reason} as reason
      from (
        select v.*${render.texts} from (
          select c.id, c.phone${placed ? tx`, c.attributes->>'timezone' as zone_attribute` : tx``}${render.values}
          from ids join contacts c on c.id = ids.id
          where not exists (select 1 from opt_outs o where o.phone = c.phone)
          offset 0) v
        offset 0) t
    ),
    ${placed ? placed.ctes : tx``}
    decided as (
      select p.*, case when p.reason is not null then 'skipped' when p.held then 'held_out'
          when p.opens > p.deadline then 'expired' else 'pending' end as status
      from (select r.*, ${inHoldout(tx, run.campaignId, run.holdoutPercent, tx`r.id`)} as held
          ${placed ? tx`` : tx`,`}
          ${placed ? tx`` : tx`null::timestamptz as opens, null::text as zone, null::timestamptz as deadline`}
        -- OFFSET 0: the holdout's hash once a row, not again in each use of the status below
        from ${placed ? tx`placed` : tx`rendered`} r offset 0) p
    )
    insert into messages (run_id, campaign_id, sender_id, contact_id, phone, kind, status, params,
      error, next_attempt_at, expires_at, time_zone)
    select ${run.id}::uuid, ${run.campaignId}::uuid, ${run.senderId}::uuid, id, phone, 'template',
      status::message_status,
      case when status = 'pending' then params end,
      case status when 'skipped' then reason when 'held_out' then ${HOLDOUT_REASON}
        when 'expired' then ${DEADLINE_REASON} end,
      case when status = 'pending' and opens > now() then opens end,
      case when status = 'pending' then deadline end,
      zone
    from decided`;
  return result.count;
}

/**
 * The CTEs placing the rendered rows (`placed`: each with its zone, the moment it may be sent,
 * and the run's deadline). A row's zone depends only on its phone's first five digits (the
 * longest prefix, PHONE_ZONE_MAX_PREFIX) and its `timezone` attribute, so zoneOf's joins run
 * once per such key the batch meets, the window's opening once per zone, and each row makes a
 * single join to its key's. Row by row, the six joins (and the JIT compilation their row
 * estimates brought on) kept a snapshot with a window at 1.5× the plain one's time
 * (docs/development.md, Benchmarks).
 */
/**
 * The terms that place a run's rows by its policy, for the snapshot and for a window's change
 * (replace-waiting.ts): a key's zone (`zone` over `joins`, keyed by `key(alias)`: the phone's
 * prefix and the `zone_attribute`), its zone's opening (`opens`, over `z.zone`) and the
 * run's deadline.
 */
export function placementTerms(
  sql: TransactionSql,
  runId: string,
  policy: Pick<SnapshotPolicy, 'window' | 'localAt' | 'campaignZone'>,
) {
  const { joins, zone } = zoneOf(sql, 'k', policy.campaignZone);
  const { window } = policy;
  const from = policy.localAt
    ? sql`greatest(now(), ${policy.localAt}::timestamp at time zone z.zone)`
    : sql`now()`;
  const opens = window
    ? sql`next_send_opening(z.zone, ${from}, ${window.from}::time, ${window.to}::time, ${window.daysMask}::int)`
    : from;
  const deadline = window?.deadlineHours
    ? sql`(select r.started_at + make_interval(hours => ${window.deadlineHours}) from runs r where r.id = ${runId}::uuid)`
    : sql`null::timestamptz`;
  // '' for no attribute: a hash join needs equality, and no zone has an empty name
  const key = (r: string) =>
    sql`substr(${sql.unsafe(r)}.phone, 1, ${PHONE_ZONE_MAX_PREFIX + 1}::int), coalesce(${sql.unsafe(r)}.zone_attribute, '')`;
  return { joins, zone, opens, deadline, key };
}

function placedByPolicy(tx: TransactionSql, run: SnapshotRun, policy: SnapshotPolicy) {
  const { joins, zone, opens, deadline, key } = placementTerms(tx, run.id, policy);
  return {
    ctes: tx`
      ${zoneTables(tx, policy.knownZones)},
      zone_keys as (
        select k.phone, k.zone_attribute, ${zone} as zone
        from (select distinct ${key('r')} from rendered r) k(phone, zone_attribute) ${joins}),
      -- OFFSET 0: pulled up into the join, the opening would be computed for every row, and
      -- again for each use of it below (measured: the snapshot took 3.3× the plain one's time)
      openings as (
        select z.zone, ${opens} as opens from (select distinct zone from zone_keys) z offset 0),
      -- each key with its zone's opening: a row then makes one join, not two
      key_openings as (
        select zk.phone, zk.zone_attribute, zk.zone, o.opens
        from zone_keys zk join openings o on o.zone = zk.zone offset 0),
      placed as (
        select r.*, ko.zone, ko.opens, ${deadline} as deadline
        from rendered r
          join key_openings ko on (ko.phone, ko.zone_attribute) = (${key('r')})),`,
  };
}

/** The error of a message kept out by the campaign's holdout (Meta's holdout has a code). */
export const HOLDOUT_REASON = 'holdout: kept out to measure the campaign (holdoutPercent)';

/**
 * Whether contact `contactId` is in the campaign's holdout of `percent` percent (rule 36): the
 * first 28 bits of md5(campaign:contact), a uniform number, below that share of 2^28. The same
 * contact is in or out in every run of the campaign, and the groups of two campaigns are
 * independent. False at 0 without hashing.
 */
export function inHoldout(sql: Tx, campaignId: string, percent: number, contactId: ReturnType<Tx>) {
  if (percent <= 0) return sql`false`;
  // The same comparison as the first 7 hex digits read as a number, made on the text: md5 writes
  // lowercase hex, so byte order (collation "C") is numeric order, and the snapshot skips
  // converting each row's digits to bits (a third of the holdout's cost a row, measured).
  const below = Math.round((percent / 100) * 2 ** 28)
    .toString(16)
    .padStart(7, '0');
  return sql`(left(md5(${`${campaignId}:`}::text || ${contactId}::text), 7) collate "C" < ${below}::text)`;
}

type Render = ReturnType<typeof renderSql>;

/**
 * The contacts of the lists with `opted_out` and the renderer's columns, in its three levels.
 * Set-based rather than the snapshot's ordered merge (which streams batches): a hash semi-join of
 * the memberships over one scan of the contacts counted 1,000,000 in half the time.
 */
function renderedContacts(sql: Tx, listIds: string[], render: Render, zoneAttribute = false) {
  return sql`
    select v.*${render.texts} from (
      select c.id, c.phone, o.phone is not null as opted_out
        ${zoneAttribute ? sql`, c.attributes->>'timezone' as zone_attribute` : sql``}
        ${render.values}
      from contacts c
      -- joined, not probed per contact: a hash of the opt-outs halved the preview of 50,000
      -- contacts (a phone is opted out once: opt_outs' key)
      left join opt_outs o on o.phone = c.phone
      where exists (
        select 1 from list_members m
        where m.list_id = any(${listIds}::uuid[]) and m.contact_id = c.id)
      offset 0) v
    offset 0`;
}

/** A group of the lists' contacts; `digits` only for sendable ones, when asked for. */
export type AudienceGroup = {
  optedOut: boolean;
  reason: string | null;
  /** Sendable, but drawn into the campaign's holdout group (rule 36). */
  held: boolean;
  digits: string | null;
  count: number;
};

/** The campaign whose holdout a count draws, as the snapshot does (inHoldout). */
export type HoldoutDraw = { campaignId: string; percent: number };

/**
 * The lists' contacts counted by opted out or not and by skip reason (null: sendable), and with
 * `prefixDigits` > 0 the sendable ones by the first digits of their phone after the + (the
 * price card's prefixes: at most 10^prefixDigits more groups, from the same scan).
 */
export function audienceGroups(
  sql: Tx,
  listIds: string[],
  parameters: string[],
  maxParameterChars: number,
  prefixDigits = 0,
  holdout: HoldoutDraw | null = null,
): Promise<AudienceGroup[]> {
  const render = renderSql(sql, parameters, sql`c.attributes`, maxParameterChars);
  const held = holdout ? inHoldout(sql, holdout.campaignId, holdout.percent, sql`id`) : sql`false`;
  // Grouped over subqueries (OFFSET 0): grouped directly on the reason expression, the planner
  // sorted a million rows on disk instead of hashing three groups; so did it on the digits'
  // expression (200,000 contacts: 810 ms sorted, 585 ms hashed, 573 ms without the digits).
  return sql<AudienceGroup[]>`
    select opted_out as "optedOut", reason, held, digits, count(*)::int as count
    from (
      select opted_out, reason, held,
        case when ${prefixDigits}::int > 0 and not opted_out and reason is null and not held
          then substr(phone, 2, ${prefixDigits}::int) end as digits
      from (
        select opted_out, phone, reason,
          not opted_out and reason is null and ${held} as held
        from (
          select id, opted_out, phone,
            case when not opted_out then ${render.reason} end as reason
          from (${renderedContacts(sql, listIds, render)}) t
          offset 0) r
        offset 0) h
      offset 0) d
    group by 1, 2, 3, 4`;
}

/** Eligible recipients of one zone (null: zones not asked for), and how many the cap would skip. */
export type EligibleGroup = { zone: string | null; count: number; capped: number };

/**
 * The recipients a run opened now would send (not opted out, not skipped, not held out), by
 * their zone as the snapshot places them (placedByPolicy: the same zoneOf over the same known
 * zones, so the preview and the run agree), and of each zone how many the campaign's cap would
 * skip if they were claimed now: phones with `cap.max` templates of its categories sent in the
 * last `cap.days` days or being sent, counted as the claims' capReached counts (src/sending/
 * queries.ts), here once for the whole audience (a hash of the phones' recent sends).
 */
export function eligibleGroups(
  sql: Tx,
  listIds: string[],
  parameters: string[],
  maxParameterChars: number,
  holdout: HoldoutDraw | null,
  zones: { knownZones: string[]; campaignZone: string } | null,
  cap: AppliedCap | null,
): Promise<EligibleGroup[]> {
  const render = renderSql(sql, parameters, sql`c.attributes`, maxParameterChars);
  const held = holdout ? inHoldout(sql, holdout.campaignId, holdout.percent, sql`id`) : sql`false`;
  const placed = zones ? zoneOf(sql, 'r', zones.campaignZone) : undefined;
  return sql<EligibleGroup[]>`
    with ${zones ? sql`${zoneTables(sql, zones.knownZones)},` : sql``}
    eligible as (
      select id, phone, zone_attribute from (
        select id, phone, zone_attribute, opted_out, ${render.reason} as reason
        from (${renderedContacts(sql, listIds, render, true)}) t
        offset 0) e
      where not opted_out and reason is null and not ${held}
    )
    ${cap ? sql`, sent as (${recentSends(sql, cap)})` : sql``}
    select ${placed ? placed.zone : sql`null::text`} as zone, count(*)::int as count,
      ${cap ? sql`(count(*) filter (where coalesce(s.sends, 0) >= ${cap.max}))::int` : sql`0`} as capped
    from eligible r ${placed ? placed.joins : sql``}
      ${cap ? sql`left join sent s on s.phone = r.phone` : sql``}
    group by 1`;
}

/**
 * The templates of the cap's categories each eligible phone was sent in the cap's window, or is
 * being sent, as capReached counts them (a send whose outcome is unknown does not count).
 */
function recentSends(sql: Tx, cap: AppliedCap) {
  return sql`
    select s.phone, count(*) as sends from messages s
      join runs sr on sr.id = s.run_id
      join campaigns sc on sc.id = sr.campaign_id
      join templates st on st.id = coalesce(sr.template_id, sc.template_id)
    where s.kind = 'template' and s.phone in (select phone from eligible)
      and coalesce(st.category, 'marketing') = any(${cap.categories}::template_category[])
      and ((s.status in ('sent', 'delivered', 'read')
          and s.sent_at > now() - make_interval(days => ${cap.days}))
        or (s.status = 'sending' and s.sent_at is null))
    group by s.phone`;
}

/** A zone's send windows over the preview's horizon (send_windows()), and its local `at`. */
export type ZoneWindows = {
  zone: string;
  /** A local-time schedule's `at` in the zone, in epoch milliseconds; null without one. */
  dueFrom: number | null;
  /** Epoch milliseconds, in order; null without a window. */
  windows: { opens: number; closes: number }[] | null;
};

export function zoneWindows(
  sql: Tx,
  zones: string[],
  after: Date,
  horizonDays: number,
  window: AppliedWindow | null,
  localAt: string | null,
): Promise<ZoneWindows[]> {
  const epochMs = (at: ReturnType<Tx>) => sql`(extract(epoch from ${at}) * 1000)::float8`;
  return sql<ZoneWindows[]>`
    select z.zone,
      ${localAt ? epochMs(sql`${localAt}::timestamp at time zone z.zone`) : sql`null::float8`} as "dueFrom",
      ${
        window
          ? sql`coalesce((
              select json_agg(json_build_object('opens', ${epochMs(sql`w.opens_at`)},
                'closes', ${epochMs(sql`w.closes_at`)}) order by w.opens_at)
              from send_windows(z.zone, ${after.toISOString()}::timestamptz, ${window.from}::time,
                ${window.to}::time, ${window.daysMask}::int, ${horizonDays}::int) w), '[]'::json)`
          : sql`null::json`
      } as windows
    from unnest(${zones}::text[]) as z(zone)`;
}

type SampleRecipient = { contactId: string; phone: string; parameters: string[] };

/** `size` recipients that would be sent (the first the scan meets), rendered. */
export function renderedSample(
  sql: Tx,
  listIds: string[],
  parameters: string[],
  maxParameterChars: number,
  size: number,
): Promise<SampleRecipient[]> {
  const render = renderSql(sql, parameters, sql`c.attributes`, maxParameterChars);
  return sql<SampleRecipient[]>`
    select id as "contactId", phone, ${render.params} as parameters
    from (${renderedContacts(sql, listIds, render)}) t
    where not opted_out and ${render.reason} is null
    limit ${size}`;
}

/**
 * The campaign's latest run that is not `missed`, locked (`FOR UPDATE`) with its template held
 * (`FOR SHARE`: a delete waits), and whether that template has been deleted since it was opened.
 */
export async function lockLatestRun(
  tx: TransactionSql,
  campaignId: string,
): Promise<(Pick<RunRow, 'id' | 'status'> & { templateDeleted: boolean }) | undefined> {
  const [run] = await tx<(Pick<RunRow, 'id' | 'status'> & { templateDeleted: boolean })[]>`
    select r.id, r.status, t.deleted_at is not null as "templateDeleted"
    from runs r join campaigns c on c.id = r.campaign_id
      join templates t on t.id = coalesce(r.template_id, c.template_id)
    where r.campaign_id = ${campaignId} and r.status <> 'missed'
    order by r.scheduled_for desc limit 1
    for update of r for share of t`;
  return run;
}
