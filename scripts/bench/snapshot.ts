import { previewCampaign } from '../../src/campaigns/preview-campaign';
import { SNAPSHOT_BATCH, snapshotRunBatch } from '../../src/campaigns/snapshot-run';
import { loadConfig } from '../../src/config';
import type { AppContext } from '../../src/context';
import { openDatabase } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { ZoneNames } from '../../src/delivery/recipient-zone';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { startBoss } from '../../src/queue/boss';
import { jobs } from '../../src/queue/registry';
import { resolveSecrets } from '../../src/secrets';
import { createSenderClients } from '../../src/sending/sender-accounts';
import { createSendingState } from '../../src/sending/sending-state';
import { EventApplier } from '../../src/webhooks/applier';
import {
  benchServer,
  dropDatabase,
  type Figure,
  freshDatabase,
  median,
  runsInTurn,
} from './harness';

const GOAL_MS = 10_000;
const PREVIEW_GOAL_MS = 3_000;
/** The goal: windows, a cap and a holdout cost at most this much more per snapshot. */
const WINDOWED_GOAL_RATIO = 1.2;
const CONTACTS = Number(process.env.BENCH_SNAPSHOT_CONTACTS ?? 1_000_000);
/** Monday to Friday (bit 0 is Monday). */
const WEEKDAYS_MASK = 0b0011111;

type Sql = ReturnType<typeof openDatabase>['sql'];

/**
 * Contacts over two overlapping lists (1% opted out, 1% missing an attribute), with phones of
 * fourteen calling codes (+1 over eighteen area codes, some of several zones each, as are Brazil,
 * Russia and Indonesia) and a fifth with a `timezone` attribute, three in ten of them no zone
 * PostgreSQL knows. Inserted in order, so the ids (the column default's, time-ordered, as
 * imported contacts get) follow `g`. Answers the two lists' ids.
 */
async function seedAudience(sql: Sql, contacts: number): Promise<string[]> {
  const [a] = await sql<{ id: string }[]>`insert into lists (name) values ('a') returning id`;
  const [b] = await sql<{ id: string }[]>`insert into lists (name) values ('b') returning id`;
  await sql`
    insert into contacts (phone, attributes)
    select '+' || code || area || lpad(g::text, case code when '1' then 7 else 9 end, '0'),
      case when g % 100 = 0 then jsonb_build_object('city', 'Rome')
        else jsonb_build_object('first_name', 'Name' || g, 'city', 'City' || (g % 50), 'plan', 'gold') end
      || case when g % 5 = 1 then jsonb_build_object('timezone', (array['Europe/Paris', 'Asia/Tokyo',
          'America/Chicago', 'Australia/Sydney', 'UTC', 'America/Sao_Paulo', 'Asia/Kolkata',
          'Mars/Olympus', 'Europe/Nowhere', 'not a zone'])[(g / 5) % 10 + 1])
        else '{}'::jsonb end
    from generate_series(1, ${contacts}) g,
      lateral (select (array['1', '1', '1', '1', '44', '49', '91', '55', '61', '52', '7', '62',
        '81', '234', '971', '33', '39', '55', '7', '62'])[g % 20 + 1] as code) c,
      lateral (select case code
        when '1' then (array['212', '213', '305', '312', '415', '503', '602', '702', '808', '907',
          '416', '604', '206', '303', '617', '787', '242', '876'])[g % 18 + 1]
        when '55' then (array['11', '21', '92', '68', '65', '81'])[g % 6 + 1]
        when '7' then (array['495', '812', '383', '423', '343'])[g % 5 + 1]
        when '62' then (array['21', '361', '411', '967'])[g % 4 + 1]
        else '' end as area) r
    order by g`;
  // list a: the first 70%, list b: the last 50%: 20% of the contacts are in both
  await sql`
    insert into list_members (list_id, contact_id)
    select ${a?.id ?? ''}::uuid, id from contacts order by id limit ${Math.floor(contacts * 0.7)}`;
  await sql`
    insert into list_members (list_id, contact_id)
    select ${b?.id ?? ''}::uuid, id from contacts order by id offset ${Math.floor(contacts * 0.5)}`;
  await sql`
    insert into opt_outs (phone, source)
    select phone, 'api' from (select phone, row_number() over (order by id) as g from contacts) c
    where g % 100 = 50`;
  await sql`analyze`;
  return [a?.id ?? '', b?.id ?? ''];
}

type Snapshotted = {
  ms: number;
  rows: number;
  pending: number;
  skipped: number;
  heldOut: number;
  /** Pending rows with a notBefore: their window opens later. */
  waiting: number;
};

/**
 * A new run of the campaign, snapshotted batch by batch as the snapshot job does, and timed;
 * its rows are counted, then emptied out (TRUNCATE), so that every run inserts into the same
 * empty table.
 */
async function snapshotOnce(ctx: AppContext, campaignId: string, label: string) {
  const { sql } = ctx.database;
  const [run] = await sql<{ id: string }[]>`
    insert into runs (campaign_id, scheduled_for, started_at)
    values (${campaignId}, clock_timestamp(), now()) returning id`;
  const runId = run?.id ?? '';
  const started = Date.now();
  let batches = 0;
  for (;;) {
    batches += 1;
    if ((await snapshotRunBatch(ctx, runId)) !== 'more') break;
  }
  const ms = Date.now() - started;
  const [counts] = await sql<Omit<Snapshotted, 'ms'>[]>`
    select count(*)::int as rows,
      count(*) filter (where status = 'pending')::int as pending,
      count(*) filter (where status = 'skipped')::int as skipped,
      count(*) filter (where status = 'held_out')::int as "heldOut",
      count(*) filter (where status = 'pending' and next_attempt_at is not null)::int as waiting
    from messages where run_id = ${runId}`;
  // CASCADE: inbound_messages refer to messages (none in this benchmark)
  await sql`truncate messages cascade`;
  const snapshotted = { ms, rows: 0, pending: 0, skipped: 0, heldOut: 0, waiting: 0, ...counts };
  console.log(
    `snapshot ${label}: ${snapshotted.rows} rows (${snapshotted.pending} pending, ${snapshotted.waiting} of them waiting for their window; ${snapshotted.skipped} skipped, ${snapshotted.heldOut} held out) in ${batches} batches of ${SNAPSHOT_BATCH}: ${ms} ms`,
  );
  return snapshotted;
}

/**
 * Audience snapshot (issue 4) and the same with send windows (rule 37): the contacts of
 * seedAudience snapshotted into one run's message rows batch by batch, as the snapshot job does,
 * for a plain campaign and for one with its own window, a frequency cap and a 10% holdout, in
 * turn, three times each (medians). The plain campaign's preview of the same audience is timed
 * first, and must count what its snapshot then writes.
 */
export async function benchSnapshot(): Promise<Figure[]> {
  const server = await benchServer();
  const logger = createLogger('warn');
  const url = await freshDatabase(server.adminUrl, 'wa_bench_snapshot');
  const contacts = CONTACTS;
  try {
    await migrateDatabase(url, logger);
    const config = loadConfig({
      DATABASE_URL: url,
      API_TOKEN: 'bench-token-0123456789',
      WEBHOOK_SECRET: 'bench-secret-0123456789',
    });
    const database = openDatabase(url, logger);
    const boss = await startBoss(url, logger, jobs, { supervise: false });
    const secrets = await resolveSecrets(config);
    const { provider, senders } = createSenderClients({
      config,
      secrets,
      logger,
      db: database.db,
      sandbox: {},
    });
    const ctx: AppContext = {
      config,
      secrets,
      logger,
      database,
      boss,
      metrics: createMetrics(),
      provider,
      senders,
      applier: new EventApplier(),
      sending: createSendingState(),
      zoneNames: new ZoneNames(database.sql),
      workerId: crypto.randomUUID(),
      stopping: new AbortController().signal,
    };
    const { sql } = database;
    const seeded = Date.now();
    const lists = await seedAudience(sql, contacts);
    const [template] = await sql<{ id: string }[]>`
      insert into templates (name, namespace, language_code, parameters)
      values ('promo', 'ns', 'en', ${JSON.stringify(['{{first_name}}', 'Hi {{first_name}} in {{city|your city}}'])}::jsonb)
      returning id`;
    const listIds = `{${lists.join(',')}}`;
    const [campaign] = await sql<{ id: string }[]>`
      insert into campaigns (name, status, template_id, list_ids)
      values ('bench', 'draft', ${template?.id ?? ''}, ${listIds}::uuid[]) returning id`;
    // The same audience with every rule of rule 35–37 the snapshot applies: its own window
    // (09:00–20:00 on weekdays: on most days some zones are outside it now), a cap and a holdout.
    const [windowed] = await sql<{ id: string }[]>`
      insert into campaigns (name, status, template_id, list_ids, send_window_mode, send_window_from,
        send_window_to, send_window_days, frequency_cap_mode, frequency_cap_max, frequency_cap_days,
        holdout_percent)
      values ('bench windows', 'running', ${template?.id ?? ''}, ${listIds}::uuid[], 'own', '09:00',
        '20:00', ${WEEKDAYS_MASK}, 'own', 2, 7, 10) returning id`;
    console.log(`snapshot: seeded ${contacts} contacts in ${Date.now() - seeded} ms`);
    // The preview of the same audience, timed here and held to the snapshot's rows below.
    const previewStarted = Date.now();
    const preview = await previewCampaign(ctx, campaign?.id ?? '');
    const previewMs = Date.now() - previewStarted;
    console.log(
      `preview: audience ${preview.audience} (${preview.eligible} eligible, ${preview.skipped} skipped, ${preview.optedOut} opted out, ${preview.duplicates} duplicates): ${previewMs} ms`,
    );
    await sql`update campaigns set status = 'running' where id = ${campaign?.id ?? ''}`;

    // Plain and windowed in turn, three times: a load that comes and goes weighs on both alike.
    const windowedRuns: Snapshotted[] = [];
    let plainFirst: Snapshotted | undefined;
    const plainMs = await runsInTurn(3, async () => {
      const plain = await snapshotOnce(ctx, campaign?.id ?? '', 'plain');
      plainFirst ??= plain;
      windowedRuns.push(await snapshotOnce(ctx, windowed?.id ?? '', 'windowed'));
      return plain.ms;
    });
    await boss.stop({ graceful: false, wait: true });
    await database.close();
    const ms = median(plainMs);
    const windowedMs = median(windowedRuns.map((run) => run.ms));
    const ratio = windowedMs / ms;
    const counts = plainFirst as Snapshotted;
    const agrees =
      counts.rows === preview.audience &&
      counts.pending === preview.eligible &&
      counts.skipped === preview.skipped;
    if (!agrees) console.log('preview: does NOT agree with the snapshot');
    // Every contact gets its row either way; some wait for their window, a tenth are held out.
    const placed = windowedRuns.every(
      (run) => run.rows === counts.rows && run.waiting > 0 && run.heldOut > 0,
    );
    if (!placed) console.log('snapshot with windows: rows do NOT match the plain snapshot');
    return [
      {
        what: `campaign preview ${contacts} contacts`,
        value: `${(previewMs / 1000).toFixed(2)} s${agrees ? '' : ' (disagrees with the snapshot)'}`,
        goal: '≤ 3 s for 1,000,000, equal to the snapshot',
        ok: previewMs <= PREVIEW_GOAL_MS && agrees && contacts >= 1_000_000,
      },
      {
        what: `audience snapshot ${contacts} contacts (median of 3)`,
        value: `${(ms / 1000).toFixed(2)} s`,
        goal: '≤ 10 s for 1,000,000',
        // the goal is for a million contacts: a smaller trial run cannot meet it
        ok: ms <= GOAL_MS && contacts >= 1_000_000,
      },
      {
        what: `snapshot with window, cap, 10% holdout ${contacts} contacts (median of 3)`,
        value: `${(windowedMs / 1000).toFixed(2)} s (${ratio.toFixed(2)}×)${placed ? '' : ' (rows differ)'}`,
        goal: `≤ ${WINDOWED_GOAL_RATIO}× the plain snapshot, same rows`,
        baseline: `plain snapshot ${(ms / 1000).toFixed(2)} s (${plainMs.map((m) => (m / 1000).toFixed(2)).join(', ')}; windowed ${windowedRuns.map((run) => (run.ms / 1000).toFixed(2)).join(', ')})`,
        ok: ratio <= WINDOWED_GOAL_RATIO && placed && contacts >= 1_000_000,
      },
    ];
  } finally {
    await dropDatabase(server.adminUrl, 'wa_bench_snapshot');
    await server.stop();
  }
}
