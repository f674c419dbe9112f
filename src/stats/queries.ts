import type { Sql } from '../db/client';
import { isoUtc } from '../db/iso';
import type { campaigns, messages, runs } from '../db/schema';
import type { Message } from '../messages/message-json';

type MessageStatus = (typeof messages.$inferSelect)['status'];

/*
 * The statistics' SQL, raw: the message rows in the API's shape straight from PostgreSQL (the
 * export's batches, 200,000 rows in about a second, and the JSON page sharing their filter),
 * the overview's buckets (generate_series, a lateral values list), the figures from the views
 * that sum the counters (snake_case, as figuresSql's recount names them), and the counters'
 * compaction (one statement per counter table).
 */

export type MessageFilter = { campaignId: string; status?: string; runId?: string };

const columns = `
  m.id::text as id, m.run_id::text as "runId", m.contact_id::text as "contactId", m.phone,
  m.kind::text as kind, m.status::text as status, m.provider_message_id as "providerMessageId",
  m.error, m.attempts, ${isoUtc('m.sent_at')} as "sentAt", ${isoUtc('m.delivered_at')} as "deliveredAt",
  ${isoUtc('m.read_at')} as "readAt", ${isoUtc('m.replied_at')} as "repliedAt",
  m.sender_id::text as "senderId", m.error_code as "errorCode", m.error_title as "errorTitle",
  m.pricing_category as "pricingCategory", m.billable,
  case when m.status = 'pending' and m.next_attempt_at > now() then ${isoUtc('m.next_attempt_at')} end as "notBefore",
  m.time_zone as "timeZone"`;

/**
 * A page of a campaign's messages in the Message shape, in id order after `afterId`: the one
 * query behind the JSON page, whose filter the CSV export shares (`messageIds`), so that both
 * show the same rows. The filter columns and the order are those of messages_campaign_idx
 * (campaign_id, run_id, status, id), which gives id order only within one status of one run:
 * a run's page in every state takes each state's first rows from the index and keeps the first
 * of those (10 short index ranges, where sorting a run of 500,000 rows took 200 ms).
 */
export function messagePage(
  sql: Sql,
  filter: MessageFilter,
  afterId: string | undefined,
  limit: number,
) {
  const after = afterId === undefined ? sql`` : sql`and m.id > ${afterId}::bigint`;
  if (filter.runId !== undefined && filter.status === undefined)
    return sql<Message[]>`
      select ${sql.unsafe(columns)}
      from messages m
      where m.id in (
        select first.id from unnest(enum_range(null::message_status)) s(status)
        cross join lateral (
          select m.id from messages m
          where m.campaign_id = ${filter.campaignId} and m.run_id = ${filter.runId}
            and m.status = s.status ${after}
          order by m.id limit ${limit}
        ) first
        order by first.id limit ${limit})
      order by m.id`;
  return sql<Message[]>`
    select ${sql.unsafe(columns)}
    from messages m
    where ${matching(sql, filter)} ${after}
    order by m.id
    limit ${limit}`;
}

/** The ids of the filter's messages in order (as numbers: identity values stay below 2^53). */
export function messageIds(sql: Sql, filter: MessageFilter) {
  return sql<{ id: number }[]>`
    select m.id::float8 as id from messages m where ${matching(sql, filter)} order by m.id`;
}

/**
 * A row of the CSV export: the Message, the text of its reply, and the value of each attribute
 * asked for, in its own column (`a0`, `a1`…: a text column each was measured cheaper than one
 * JSON array of them, whether built by PostgreSQL or parsed here).
 */
export type ExportRow = Message & {
  replyText: string | null;
  [value: AttributeAlias]: string | null;
};

type AttributeAlias = `a${number}`;

/** The alias of the value of the i-th attribute asked for in an ExportRow. */
export const attributeAlias = (i: number): AttributeAlias => `a${i}`;

/**
 * These messages for the CSV export, in id order: primary-key lookups, whatever the filter.
 * Each of `keys` is the contact's current value of that attribute (the contact is joined by
 * its key only when some are asked for). `replyText` is the text of the reply that set
 * `repliedAt` (the first one attributed to the message): the inbound row of that phone at that
 * very time (its sent_at is the reply's time, as is replied_at) attributed to this message,
 * found through inbound_messages_phone_idx (phone, sent_at); a message with no reply costs one
 * empty index probe.
 */
export function exportRowsByIds(sql: Sql, ids: number[], keys: string[]) {
  const values = keys.map(
    (key, i) => sql`, c.attributes ->> ${key}::text as ${sql(attributeAlias(i))}`,
  );
  return sql<ExportRow[]>`
    select ${sql.unsafe(columns)}, r.body as "replyText"
      ${values.reduce((list, value) => sql`${list}${value}`, sql``)}
    from messages m
    ${keys.length > 0 ? sql`left join contacts c on c.id = m.contact_id` : sql``}
    left join lateral (
      select i.body from inbound_messages i
      where i.phone = m.phone and i.sent_at = m.replied_at and i.attributed_message_id = m.id
      order by i.id limit 1) r on true
    where m.id = any(${ids}::bigint[])
    order by m.id`;
}

/**
 * The distinct attribute names of the contacts of the filter's messages, in alphabetical order,
 * at most `limit`: one pass over the filter's rows, joined to their contacts by id.
 */
export function attributeNames(sql: Sql, filter: MessageFilter, limit: number) {
  return sql<{ name: string }[]>`
    select k.name from (
      select distinct jsonb_object_keys(c.attributes) as name
      from messages m join contacts c on c.id = m.contact_id
      where ${matching(sql, filter)}) k
    order by k.name
    limit ${limit}`;
}

function matching(sql: Sql, filter: MessageFilter) {
  return sql`m.campaign_id = ${filter.campaignId}
    ${filter.runId === undefined ? sql`` : sql`and m.run_id = ${filter.runId}`}
    ${filter.status === undefined ? sql`` : sql`and m.status = ${filter.status}::message_status`}`;
}

/** The figures as the stats views and figuresSql's recount name them. */
export type RawCounts = {
  audience: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
  unknown: number;
  replied: number;
  opted_out: number;
  follow_ups_sent: number;
  windows_open: number;
};

/** The campaign's row of campaign_stats, or with `runId` the run's row of run_stats. */
export async function statsRow(sql: Sql, campaignId: string, runId: string | undefined) {
  const [row] =
    runId === undefined
      ? await sql<RawCounts[]>`select * from campaign_stats where campaign_id = ${campaignId}`
      : await sql<RawCounts[]>`
          select * from run_stats where campaign_id = ${campaignId} and run_id = ${runId}`;
  return row;
}

/** The campaign_stats view's figures summed over every campaign, as float8 (they may pass 2^31). */
export async function sumOfCampaignStats(sql: Sql, figures: readonly (keyof RawCounts)[]) {
  const sums = figures.map((f) => `coalesce(sum(${f}), 0)::float8 as ${f}`).join(', ');
  const [row] = await sql<RawCounts[]>`select ${sql.unsafe(sums)} from campaign_stats`;
  return row;
}

/** An overview bucket: its start (ISO, UTC) and its figures. */
export type OverviewRow = Pick<RawCounts, 'sent' | 'delivered' | 'read' | 'replied' | 'failed'> & {
  start: string;
};

/**
 * Template messages' events per bucket (an hour or a day of `zone`) from the bucket holding
 * `from` until `to`, summed from event_counts' quarter hours within [from, to) (both on the
 * quarter hour): at most 96 rows a day of the period (event_counts_bucket_idx), whatever the
 * number of messages. Days are generated as dates of the zone, so a day is 23 or 25 hours long
 * when the clocks change; hours step 60 minutes from the zone's hour holding `from`. Empty
 * buckets are zeros.
 */
export function overviewRows(
  sql: Sql,
  range: { from: string; to: string; interval: 'hour' | 'day'; zone: string },
) {
  const { from, to, interval, zone } = range;
  const last = sql`(${to}::timestamptz - interval '1 microsecond')`;
  const buckets =
    interval === 'day'
      ? sql`select d at time zone ${zone} as start
          from generate_series((${from}::timestamptz at time zone ${zone})::date::timestamp,
            (${last} at time zone ${zone})::date::timestamp, interval '1 day') as d`
      : sql`select generate_series(date_trunc('hour', ${from}::timestamptz, ${zone}), ${last},
          interval '1 hour') as start`;
  return sql<OverviewRow[]>`
    with buckets as (${buckets}), counts as (
      select date_trunc(${interval}, e.bucket, ${zone}) as start, e.event, sum(e.n) as n
      from event_counts e
      where e.bucket >= ${from}::timestamptz and e.bucket < ${to}::timestamptz
      group by 1, 2
    )
    select to_char(b.start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start,
      coalesce(sum(c.n) filter (where c.event = 'sent'), 0)::int as sent,
      coalesce(sum(c.n) filter (where c.event = 'delivered'), 0)::int as delivered,
      coalesce(sum(c.n) filter (where c.event = 'read'), 0)::int as read,
      coalesce(sum(c.n) filter (where c.event = 'replied'), 0)::int as replied,
      coalesce(sum(c.n) filter (where c.event = 'failed'), 0)::int as failed
    from buckets b left join counts c on c.start = b.start
    group by b.start
    order by b.start`;
}

/**
 * The failures of template messages in [from, to) by reason (the row's error, cut to 200
 * characters; '' for none), most first, at most `limit`, each with the period's total of
 * failures (`total`, the same on every row): from event_counts_bucket_idx, like the overview.
 */
export function failureRows(sql: Sql, range: { from: string; to: string }, limit: number) {
  return sql<{ reason: string; count: number; total: number }[]>`
    select e.reason, sum(e.n)::float8 as count, sum(sum(e.n)) over ()::float8 as total
    from event_counts e
    where e.event = 'failed' and e.bucket >= ${range.from}::timestamptz
      and e.bucket < ${range.to}::timestamptz
    group by e.reason
    having sum(e.n) <> 0
    order by count desc, e.reason
    limit ${limit}`;
}

/** A campaign_stats row with the campaign's status, for the campaigns compared. */
export type ComparedRow = RawCounts & {
  campaign_id: string;
  name: string;
  status: string;
  delivery_rate: number;
  read_rate: number;
  reply_rate: number;
};

/** The columns the campaigns compared may be sorted by (campaign_stats' names). */
export const COMPARED_SORTS = {
  name: 'name',
  audience: 'audience',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  replied: 'replied',
  failed: 'failed',
  deliveryRate: 'delivery_rate',
  readRate: 'read_rate',
  replyRate: 'reply_rate',
} as const;

/**
 * The campaign_stats rows (GET /v1/campaigns/{id}/stats' figures) of the campaigns with a run
 * that was under way at some moment of [from, to): started before `to`, and not finished before
 * `from`. Runs are few (one per firing) and the view's figures are a few counter reads per
 * campaign, so a period of hundreds of campaigns costs milliseconds. Sorted by `sort`, then by
 * name and id (a stable order for offset pages), `limit` rows after `offset`.
 */
export function comparedCampaignRows(
  sql: Sql,
  range: { from: string; to: string },
  order: { sort: keyof typeof COMPARED_SORTS; descending: boolean },
  page: { offset: number; limit: number },
) {
  const column = sql(COMPARED_SORTS[order.sort]);
  const direction = order.descending ? sql`desc` : sql`asc`;
  return sql<ComparedRow[]>`
    select s.*, k.status::text as status
    from campaign_stats s join campaigns k on k.id = s.campaign_id
    where s.campaign_id in (
      select r.campaign_id from runs r
      where r.started_at < ${range.to}::timestamptz
        and coalesce(r.finished_at, 'infinity') >= ${range.from}::timestamptz)
    order by s.${column} ${direction}, s.name, s.campaign_id
    offset ${page.offset} limit ${page.limit}`;
}

/** A campaign's progress as progressRows reads it (figures by their Stats names). */
export type ProgressRow = {
  campaignId: string;
  status: (typeof campaigns.$inferSelect)['status'];
  sent: number;
  replied: number;
  replyRate: number;
  runId: string | null;
  runStatus: (typeof runs.$inferSelect)['status'] | null;
  runAudience: number | null;
  runSent: number | null;
  runPending: number | null;
  runFailed: number | null;
  runUnknown: number | null;
  /** Template messages of the campaign the provider accepted in the window. */
  recentSends: number;
  /** The window, shortened to the run's age when it started less than a window ago. */
  windowSeconds: number;
};

/**
 * The progress of these campaigns in one statement, whatever their size: each campaign's
 * campaign_stats row and its latest run's run_stats row (the counters, a few index reads each),
 * the latest run by runs_campaign_slot_uq, and the sends of the last `windowSeconds` from
 * messages_sent_at_idx: the inner range is every template and message the account sent in the
 * window (at most SEND_RATE_PER_SECOND × window rows, OFFSET 0 keeps it a range scan), never a
 * campaign's message rows.
 */
export function progressRows(sql: Sql, campaignIds: string[], windowSeconds: number) {
  return sql<ProgressRow[]>`
    select k.id::text as "campaignId", k.status::text as status,
      cs.sent, cs.replied, cs.reply_rate as "replyRate",
      r.id::text as "runId", r.status::text as "runStatus",
      rs.audience as "runAudience", rs.sent as "runSent", rs.pending as "runPending",
      rs.failed as "runFailed", rs.unknown as "runUnknown",
      coalesce(recent.n, 0)::int as "recentSends",
      greatest(1, least(${windowSeconds}::float8,
        extract(epoch from now() - coalesce(r.started_at, now() - interval '1 day'))))::float8
        as "windowSeconds"
    from campaigns k
    join campaign_stats cs on cs.campaign_id = k.id
    left join lateral (
      select id, status, started_at from runs
      where campaign_id = k.id and status <> 'missed'
      order by scheduled_for desc limit 1) r on true
    left join run_stats rs on rs.run_id = r.id
    left join (
      select m.campaign_id, count(*) as n from (
        select campaign_id, kind from messages
        where sent_at > now() - make_interval(secs => ${windowSeconds})
        offset 0) m
      where m.kind = 'template'
      group by m.campaign_id) recent on recent.campaign_id = k.id
    where k.id = any(${campaignIds}::uuid[])`;
}

/** A campaign's (or run's) template messages with a Meta error code, by code. */
export type ErrorCodeRow = { code: number; title: string | null; count: number };

/**
 * The failed and held-out template messages of a campaign (or run) by Meta's error code, with
 * the latest title the provider gave for it (docs/design.md, rule 22): two short ranges of
 * messages_campaign_idx (campaign, run, status), so the cost follows the failures, never the
 * campaign's size.
 */
export function errorCodeRows(sql: Sql, campaignId: string, runId: string | undefined) {
  return sql<ErrorCodeRow[]>`
    select m.error_code as code, max(m.error_title) as title, count(*)::float8 as count
    from messages m
    where m.campaign_id = ${campaignId}
      ${runId === undefined ? sql`` : sql`and m.run_id = ${runId}`}
      and m.status in ('failed', 'held_out') and m.kind = 'template'
      and m.error_code is not null
    group by m.error_code
    order by count desc, m.error_code`;
}

/** A campaign's (or run's) template messages of one pricing category, billable or free. */
export type PricingRow = { category: string; billable: boolean; count: number };

/**
 * The template messages of a campaign (or run) with a pricing category, by (category, billable;
 * a null billable counts as free): an index-only range of messages_campaign_pricing_idx (partial:
 * only messages Meta priced enter it), measured in docs/decisions.md.
 */
export function pricingRows(sql: Sql, campaignId: string, runId: string | undefined) {
  return sql<PricingRow[]>`
    select m.pricing_category as category, coalesce(m.billable, false) as billable,
      count(*)::float8 as count
    from messages m
    where m.campaign_id = ${campaignId}
      ${runId === undefined ? sql`` : sql`and m.run_id = ${runId}`}
      and m.pricing_category is not null and m.kind = 'template'
    group by 1, 2
    order by 1, 2`;
}

/**
 * The billable template messages of a campaign (or run) by pricing category and the first
 * `prefixDigits` digits of the phone after its +, for the price card's longest-prefix match
 * (stats/price-card.ts): the pricing index's range of billable rows, each row's phone from the
 * heap, at most categories × 10^prefixDigits groups.
 */
export function billableRows(
  sql: Sql,
  campaignId: string,
  runId: string | undefined,
  prefixDigits: number,
) {
  return sql<{ category: string; digits: string; count: number }[]>`
    select m.pricing_category as category, substr(m.phone, 2, ${prefixDigits}) as digits,
      count(*)::float8 as count
    from messages m
    where m.campaign_id = ${campaignId}
      ${runId === undefined ? sql`` : sql`and m.run_id = ${runId}`}
      and m.pricing_category is not null and m.kind = 'template' and m.billable
    group by 1, 2`;
}

/**
 * The template messages sent in [from, to) (their `sent_at`; through one sender with
 * `senderId`), grouped by what the period's figures need: the error code of those that then
 * failed or were held out, the pricing category and billable of those Meta priced, and with a
 * price card (`prefixDigits` > 0) the first digits of a billable message's phone; each group
 * with how many of its messages were delivered, read and failed. One range of
 * messages_sent_at_idx, a heap row each: the cost follows the messages sent in the period
 * (measured in docs/decisions.md, "The overview and a sender's figures by code and price").
 */
export type PeriodRow = {
  code: number | null;
  category: string | null;
  billable: boolean;
  digits: string | null;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
};

export function periodRows(
  sql: Sql,
  range: { from: string; to: string; senderId?: string; prefixDigits: number },
) {
  const { from, to, senderId, prefixDigits } = range;
  return sql<PeriodRow[]>`
    select code, category, billable, digits, count(*)::float8 as sent,
      count(*) filter (where delivered)::float8 as delivered,
      count(*) filter (where read)::float8 as read,
      count(*) filter (where failed)::float8 as failed
    from (
      select
        case when m.status in ('failed', 'held_out') then m.error_code end as code,
        m.pricing_category as category,
        coalesce(m.billable, false) as billable,
        case when ${prefixDigits}::int > 0 and m.billable and m.pricing_category is not null
          then substr(m.phone, 2, ${prefixDigits}::int) end as digits,
        m.delivered_at is not null or m.read_at is not null as delivered,
        m.read_at is not null as read,
        m.status = 'failed' as failed
      from messages m
      where m.sent_at >= ${from}::timestamptz and m.sent_at < ${to}::timestamptz
        and m.kind = 'template'
        ${senderId === undefined ? sql`` : sql`and m.sender_id = ${senderId}::uuid`}
      offset 0) s
    group by 1, 2, 3, 4`;
}

export type HoldoutRow = { group: 'treated' | 'holdout'; size: number; replied: number };

/**
 * The holdout group and the treated one of a campaign (or a run), as people: each phone once,
 * whatever the number of runs it was in, and whether it wrote to us (an opt-out is no answer)
 * within `hours` after the start of any of its runs (docs/design.md, rule 36). The holdout is
 * the rows the campaign kept out (`held_out` without Meta's code); the treated group is every
 * row drawn to be sent, whatever became of it (`params` are rendered for those only): a phone
 * that turned out not to be on WhatsApp is in it, as it would have been in the holdout. One
 * probe of inbound_messages_phone_idx a row; the caller asks only when there is a holdout.
 */
export function holdoutRows(
  sql: Sql,
  campaignId: string,
  runId: string | undefined,
  hours: number,
) {
  return sql<HoldoutRow[]>`
    select "group", count(*)::float8 as size, count(*) filter (where wrote)::float8 as replied
    from (
      select case when m.status = 'held_out' then 'holdout' else 'treated' end as "group",
        m.phone,
        bool_or(exists (
          select 1 from inbound_messages i
          where i.phone = m.phone and not i.from_me and not i.is_opt_out
            and i.sent_at >= r.started_at
            and i.sent_at < r.started_at + make_interval(hours => ${hours}))) as wrote
      from runs r
      join messages m on m.campaign_id = r.campaign_id and m.run_id = r.id
      where r.campaign_id = ${campaignId} ${runId === undefined ? sql`` : sql`and r.id = ${runId}`}
        and r.started_at is not null and m.kind = 'template'
        and ((m.status = 'held_out' and m.error_code is null)
          or (m.status <> 'held_out' and m.params is not null))
      group by 1, 2
    ) people
    group by 1`;
}

/** Whether the campaign (or run) kept anyone out: messages_campaign_idx, one row at most. */
/**
 * A campaign's (or run's) template messages of one status, from the counters the triggers keep
 * (message_counts_campaign_idx: a few rows per run).
 */
export async function countedStatus(
  sql: Sql,
  campaignId: string,
  runId: string | undefined,
  status: MessageStatus,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select coalesce(sum(c.n), 0)::float8 as n from message_counts c
    where c.campaign_id = ${campaignId} ${runId === undefined ? sql`` : sql`and c.run_id = ${runId}`}
      and c.kind = 'template' and c.status = ${status}::message_status`;
  return row?.n ?? 0;
}

export async function hasHoldout(sql: Sql, campaignId: string, runId: string | undefined) {
  const [row] = await sql<{ found: boolean }[]>`
    select exists (
      select 1 from messages m
      where m.campaign_id = ${campaignId} ${runId === undefined ? sql`` : sql`and m.run_id = ${runId}`}
        and m.status = 'held_out' and m.error_code is null) as found`;
  return row?.found ?? false;
}
