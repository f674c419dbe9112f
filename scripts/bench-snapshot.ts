/**
 * Audience snapshot benchmark (issue 4): 1,000,000 contacts over two overlapping lists, 1% opted
 * out and 1% missing an attribute, snapshotted into one run's message rows batch by batch, as
 * the snapshot job does it. Goal: ≤ 10 s on real PostgreSQL.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:snapshot [-- contacts]
 *
 * Without DATABASE_URL it runs on an embedded PostgreSQL in a temporary folder. It works in a
 * database of its own, created and dropped here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { SNAPSHOT_BATCH, snapshotRunBatch } from '../src/campaigns/snapshot-run';
import { loadConfig } from '../src/config';
import type { AppContext } from '../src/context';
import { openDatabase } from '../src/db/client';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/db/embedded';
import { migrateDatabase } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { createProvider } from '../src/provider';
import { startBoss } from '../src/queue/boss';
import { jobs } from '../src/queue/registry';
import { resolveSecrets } from '../src/secrets';

const GOAL_MS = 10_000;
const contacts = Number(process.argv[2] ?? 1_000_000);
const logger = createLogger('warn');

let embedded: EmbeddedDatabase | undefined;
let dataDir: string | undefined;
let adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  dataDir = await mkdtemp(path.join(tmpdir(), 'wa-bench-pg-'));
  embedded = await startEmbeddedPostgres(dataDir, logger);
  adminUrl = embedded.url;
}
const name = `wa_bench_${process.pid}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

try {
  await migrateDatabase(url.toString(), logger);
  const config = loadConfig({
    DATABASE_URL: url.toString(),
    API_TOKEN: 'bench-token-0123456789',
    WEBHOOK_SECRET: 'bench-secret-0123456789',
  });
  const database = openDatabase(url.toString(), logger);
  const boss = await startBoss(url.toString(), logger, jobs, { supervise: false });
  const ctx: AppContext = {
    config,
    secrets: await resolveSecrets(config),
    logger,
    database,
    boss,
    metrics: createMetrics(),
    provider: createProvider(config, logger),
    workerId: crypto.randomUUID(),
    stopping: new AbortController().signal,
  };
  const { sql } = database;

  const seeded = Date.now();
  const [a] = await sql<{ id: string }[]>`insert into lists (name) values ('a') returning id`;
  const [b] = await sql<{ id: string }[]>`insert into lists (name) values ('b') returning id`;
  await sql`
    insert into contacts (phone, attributes)
    select '+1555' || lpad(g::text, 8, '0'),
      case when g % 100 = 0 then jsonb_build_object('city', 'Rome')
        else jsonb_build_object('first_name', 'Name' || g, 'city', 'City' || (g % 50), 'plan', 'gold') end
    from generate_series(1, ${contacts}) g`;
  // list a: the first 70%, list b: the last 50%: 20% of the contacts are in both
  await sql`
    insert into list_members (list_id, contact_id)
    select ${a?.id ?? ''}::uuid, id from contacts where substr(phone, 6)::int <= ${contacts * 0.7}`;
  await sql`
    insert into list_members (list_id, contact_id)
    select ${b?.id ?? ''}::uuid, id from contacts where substr(phone, 6)::int > ${contacts * 0.5}`;
  await sql`
    insert into opt_outs (phone, source)
    select phone, 'api' from contacts where substr(phone, 6)::int % 100 = 50`;
  await sql`analyze`;
  const [template] = await sql<{ id: string }[]>`
    insert into templates (name, namespace, language_code, parameters)
    values ('promo', 'ns', 'en', ${JSON.stringify(['{{first_name}}', 'Hi {{first_name}} in {{city|your city}}'])}::jsonb)
    returning id`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into campaigns (name, status, template_id, list_ids)
    values ('bench', 'running', ${template?.id ?? ''}, ${`{${a?.id},${b?.id}}`}::uuid[]) returning id`;
  const [run] = await sql<{ id: string }[]>`
    insert into runs (campaign_id, scheduled_for, started_at) values (${campaign?.id ?? ''}, now(), now())
    returning id`;
  const runId = run?.id ?? '';
  process.stdout.write(`seeded ${contacts} contacts in ${Date.now() - seeded} ms\n`);

  const started = Date.now();
  let batches = 0;
  for (;;) {
    batches += 1;
    if ((await snapshotRunBatch(ctx, runId)) !== 'more') break;
  }
  const ms = Date.now() - started;
  const [counts] = await sql<{ audience: number; pending: number; skipped: number }[]>`
    select r.audience,
      (select count(*) from messages where run_id = r.id and status = 'pending')::int as pending,
      (select count(*) from messages where run_id = r.id and status = 'skipped')::int as skipped
    from runs r where r.id = ${runId}`;
  process.stdout.write(
    `snapshot of ${contacts} contacts (audience ${counts?.audience}: ${counts?.pending} pending, ${counts?.skipped} skipped) ` +
      `in ${batches} batches of ${SNAPSHOT_BATCH}: ${ms} ms (goal ≤ ${GOAL_MS} ms${contacts === 1_000_000 ? '' : ' for 1,000,000'}) ${ms <= GOAL_MS ? 'OK' : 'SLOW'}\n`,
  );
  await boss.stop({ graceful: false, wait: true });
  await database.close();
} finally {
  // BENCH_KEEP=1 leaves the database for a look at the plans.
  if (!process.env.BENCH_KEEP) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
