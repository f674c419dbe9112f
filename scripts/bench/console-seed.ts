import postgres from 'postgres';
import { compactCounts } from '../../src/stats/compact-counts';
import { countersOffRecount } from '../../test/helpers/counters';
import { city, firstName, seedAudit, seedMessages } from './console-activity';

export type SeedSize = { contacts: number; campaigns: number; messages: number };

/** The ids the console's pages are resolved with (`{bigCampaign}` in console.ts's list). */
export type Seeded = {
  bigCampaign: string;
  completedCampaign: string;
  draftCampaign: string;
  list: string;
  import: string;
  contact: string;
  template: string;
  phone: string;
  user: string;
  sender: string;
};

type Tx = postgres.Sql;

// draft 10%, scheduled 10%, running 5%, paused 5%, cancelled 5%, completed 65%
const statusMix = `array['draft','draft','scheduled','scheduled','running','paused','cancelled',
  'completed','completed','completed','completed','completed','completed','completed','completed',
  'completed','completed','completed','completed','completed']`;

/** Five lists (a contact in one or two), their imports, SIZE contacts, opt-outs and users. */
async function seedAudiences(sql: Tx, size: SeedSize): Promise<void> {
  await sql`
    insert into lists (name, description, created_at)
    select name, 'Seeded by the console benchmark', now() - (6 - i) * interval '30 days'
    from unnest(array['Newsletter subscribers', 'Loyalty members', 'Spring leads',
      'Berlin stores', 'VIP customers']) with ordinality as l(name, i)`;
  await sql`create temp table bench_lists as
    select row_number() over (order by created_at)::int as n, id from lists`;
  await sql`
    insert into imports (list_id, status, options, attempts, created_at, finished_at)
    select id, 'completed', '{"defaultCountry": "DE"}', 1, now() - (6 - n) * interval '30 days',
      now() - (6 - n) * interval '30 days' + interval '40 seconds'
    from bench_lists`;
  await sql`
    insert into contacts (phone, attributes, created_by_import_id, created_at)
    select '+49151' || lpad(i::text, 8, '0'),
      jsonb_strip_nulls(jsonb_build_object('first_name', ${sql.unsafe(firstName('i'))},
        'city', ${sql.unsafe(city('i'))}, 'tier', (array['gold','silver','bronze'])[1 + i % 3])),
      m.id, now() - interval '150 days' + i * interval '1 second'
    from generate_series(1, ${size.contacts}) i
    join bench_lists l on l.n = 1 + i % 5
    join imports m on m.list_id = l.id`;
  await sql`create temp table bench_contacts as
    select substr(phone, 7)::int as n, id, phone from contacts`;
  await sql`alter table bench_contacts add primary key (n)`;
  await sql`
    insert into list_members (list_id, contact_id)
    select l.id, c.id from bench_contacts c join bench_lists l on l.n = 1 + c.n % 5
    union all
    select l.id, c.id from bench_contacts c join bench_lists l on l.n = 1 + (c.n + 1) % 5
    where c.n % 3 = 0`;
  await sql`
    update imports i set rows = m.n + m.n / 50, created = m.n * 3 / 4, updated = m.n / 4,
      duplicates = m.n / 100, invalid = m.n / 50 - m.n / 100,
      error_counts = jsonb_build_object('invalidPhone', m.n / 50 - m.n / 100),
      errors = '[{"row": 12, "line": 13, "kind": "invalidPhone", "value": "0000",
        "reason": "not a possible phone number"}]'
    from (select list_id, count(*)::int as n from list_members group by 1) m
    where m.list_id = i.list_id`;
  await sql`
    insert into imports (list_id, status, failure, attempts, created_at, finished_at)
    select id, 'failed', 'The file is not UTF-8 text (byte 0xff at offset 1,204).', 1,
      now() - interval '3 days', now() - interval '3 days'
    from bench_lists where n = 1`;
  await sql`
    insert into opt_outs (phone, contact_id, source, opted_out_at)
    select phone, id, 'api', now() - (n % 90) * interval '1 day' from bench_contacts
    where n % 100 = 7`;
  await sql`
    insert into users (email, name, role, password_hash)
    select 'person' || i || '@bench.example', 'Bench person ' || i,
      (array['marketer', 'analyst', 'admin'])[1 + i % 3]::user_role,
      (select password_hash from users limit 1)
    from generate_series(1, 8) i`;
}

/**
 * CAMPAIGNS campaigns in mixed states and the plan of their runs (`bench_runs`: each run's
 * size, its contacts from `offset`): the first is the big one, a weekly campaign to every list
 * whose runs hold half the messages; the other half is spread unevenly over the other runs.
 */
async function seedCampaigns(sql: Tx, size: SeedSize): Promise<void> {
  await sql`
    insert into templates (name, namespace, language_code, category, parameters, deleted_at)
    select 'offer_' || i, 'bench_namespace', (array['en', 'de', 'fr', 'es'])[1 + i % 4],
      (case when i % 5 = 0 then 'utility' else 'marketing' end)::template_category,
      '["{{first_name|there}}", "{{city|your city}}"]', case when i = 20 then now() end
    from generate_series(1, 20) i`;
  await sql`create temp table bench_campaigns as
    select k, gen_random_uuid() as id,
      case when k = 1 then 'running' else (${sql.unsafe(statusMix)})[1 + k % 20] end as status,
      case when k = 1 then now() - interval '40 days'
        else now() - interval '180 days' + k * (interval '180 days' / ${size.campaigns}) end
        as created_at
    from generate_series(1, ${size.campaigns}) k`;
  await sql`
    insert into campaigns (id, name, status, template_id, list_ids, schedule_at, schedule_cron,
      schedule_timezone, rate_per_second, follow_up_body, next_run_at, paused_reason, created_at,
      updated_at)
    select b.id,
      case when k = 1 then 'Weekly newsletter' else (array['Spring sale', 'Summer offers',
        'Loyalty points', 'Back in stock', 'New arrivals', 'Store opening', 'Black Friday',
        'Reminder'])[1 + k % 8] || ' #' || k end,
      b.status::campaign_status,
      (select id from templates where name = 'offer_' || (1 + k % 19)),
      case when k = 1 then (select array_agg(id order by n) from bench_lists)
        else array(select id from bench_lists where n in (1 + k % 5, 1 + (k + 2) % 5)
          and (n = 1 + k % 5 or k % 4 = 0) order by n) end,
      case when b.status = 'scheduled' and k % 2 = 0 then now() + (1 + k % 14) * interval '1 day'
        when b.status not in ('scheduled', 'draft') and k > 1 then b.created_at + interval '1 hour'
        end,
      case when k = 1 or (b.status = 'scheduled' and k % 2 = 1) then '0 9 * * MON' end,
      case when k = 1 or b.status = 'scheduled' then 'Europe/Berlin' end,
      case when k % 4 = 0 then 20 end,
      case when k = 1 or k % 3 = 0 then 'Thanks {{first_name|}}! Your code: SAVE10' end,
      case when k = 1 or b.status = 'scheduled' then now() + (1 + k % 14) * interval '1 day' end,
      case when b.status = 'paused' then 'Paused by a marketer' end,
      b.created_at, b.created_at
    from bench_campaigns b`;
  const bigTotal = Math.floor(size.messages / 2);
  const bigRuns = Math.max(1, Math.ceil(bigTotal / size.contacts));
  await sql`create temp table bench_runs as
    with planned as (
      select b.k, b.id as campaign_id, j,
        case when b.k = 1 then case when j = 0 then 'running' else 'completed' end
          when b.status in ('running', 'paused', 'cancelled') then b.status
          else 'completed' end as status,
        case when b.k = 1 then now() - interval '90 minutes' - j * interval '7 days'
          when b.status = 'scheduled' then date_trunc('day', now()) - (j + 1) * interval '7 days'
          when b.status = 'running' then now() - (1 + b.k % 5) * interval '1 hour'
          when b.status = 'paused' then now() - (1 + b.k % 3) * interval '1 day'
          else least(b.created_at + interval '1 hour', now() - interval '3 hours') end as slot,
        case when b.k = 1 then least(${size.contacts}, ${bigTotal} - j * ${size.contacts})
          else 1 + ((b.k * 37 + j * 11) % 23) ^ 2 end as weight
      from bench_campaigns b
      cross join lateral generate_series(0, case when b.k = 1 then ${bigRuns - 1}
        when b.status = 'draft' then -1
        when b.status = 'scheduled' then case when b.k % 2 = 1 then 1 else -1 end
        else 0 end) j
    )
    select row_number() over (order by k, j)::int as g, gen_random_uuid() as id, p.*,
      case when k = 1 then weight::int else least(${size.contacts}, floor(
        ${size.messages - bigTotal} * weight / sum(weight) filter (where k > 1) over ()))::int
        end as size,
      ((k * 7919 + j * 104729) % ${size.contacts})::int as "offset"
    from planned p`;
  await sql`
    insert into runs (id, campaign_id, template_id, list_ids, scheduled_for, status, audience,
      snapshot_done_at, started_at, finished_at, created_at)
    select r.id, r.campaign_id, c.template_id, c.list_ids, r.slot, r.status::run_status, r.size,
      r.slot + interval '1 minute', r.slot,
      case when r.status in ('completed', 'cancelled') then r.slot + interval '2 hours' end, r.slot
    from bench_runs r join campaigns c on c.id = r.campaign_id`;
  await sql`
    update campaigns c set last_run_at = r.last
    from (select campaign_id, max(slot) as last from bench_runs group by 1) r
    where r.campaign_id = c.id`;
}

/**
 * The seed, by SQL on the database the service has migrated, so that the stats counters'
 * triggers count every message row as they count any write; then the compaction the
 * housekeeping runs, a check of every counter against a recount of the rows, and ANALYZE.
 */
export async function seedConsole(url: string, size: SeedSize): Promise<Seeded> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await seedAudiences(sql, size);
    await seedCampaigns(sql, size);
    await seedMessages(sql, size.contacts);
    await seedAudit(sql);
    await compactCounts(sql);
    const off = await countersOffRecount(sql);
    if (off.length > 0) throw new Error(`stats counters off the seed: ${JSON.stringify(off)}`);
    await sql`vacuum analyze`;
    const [counts] = await sql`select
      (select count(*) from contacts)::int as contacts,
      (select count(*) from campaigns)::int as campaigns, (select count(*) from runs)::int as runs,
      (select count(*) from messages)::int as messages,
      (select count(*) from conversations)::int as conversations,
      (select count(*) from inbound_messages)::int as "inbound messages",
      (select count(*) from opt_outs)::int as "opt-outs",
      (select count(*) from audit_events)::int as "audit events"`;
    console.log(
      `console: seeded ${Object.entries(counts ?? {})
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`,
    );
    const [ids] = await sql<Seeded[]>`select
      (select id from bench_campaigns where k = 1) as "bigCampaign",
      (select campaign_id from bench_runs where k > 1 and status = 'completed'
        order by size desc limit 1) as "completedCampaign",
      (select id from bench_campaigns where status = 'draft' order by k desc limit 1)
        as "draftCampaign",
      (select id from bench_lists where n = 1) as list,
      (select id from imports order by created_at desc limit 1) as import,
      (select c.id from contacts c join inbound_messages i on i.phone = c.phone
        group by c.id order by count(*) desc, c.id limit 1) as contact,
      (select id from templates where name = 'offer_1') as template,
      (select phone from inbound_messages group by phone order by count(*) desc, phone limit 1)
        as phone,
      (select id from users where role = 'marketer' order by email limit 1) as "user",
      (select id from senders where is_default) as sender`;
    if (!ids) throw new Error('the seed has no ids');
    return ids;
  } finally {
    await sql.end();
  }
}
