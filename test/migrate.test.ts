import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { isMigrated, MIGRATIONS_FOLDER, migrateDatabase } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { countersOffRecount } from './helpers/stats';

const logger = createLogger('silent');
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function inspect(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [applied] = await sql<{ count: number }[]>`
      select count(*)::int as count from drizzle.__drizzle_migrations`;
    const tables = await sql<{ name: string }[]>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' order by table_name`;
    return {
      applied: applied?.count,
      tables: tables.map((t) => t.name),
      migrated: await isMigrated(sql),
    };
  } finally {
    await sql.end();
  }
}

const expectedTables = [
  'campaigns',
  'contacts',
  'conversations',
  'imports',
  'inbound_messages',
  'list_members',
  'lists',
  'message_counts',
  'messages',
  'opt_outs',
  'replied_phones',
  'reply_counts',
  'runs',
  'senders',
  'templates',
  'webhook_events',
  'window_counts',
];

/** Applies the first `count` migrations only: a database that an older version left. */
async function migrateUpTo(sql: postgres.Sql, count: number): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'wa-migrations-'));
  mkdirSync(join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'));
  journal.entries = journal.entries.slice(0, count);
  for (const entry of journal.entries as { tag: string }[]) {
    copyFileSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  }
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  await migrate(drizzle(sql), { migrationsFolder: folder });
}

describe('migrations', () => {
  it('create every table on an empty database, and a second run changes nothing', async () => {
    database = await createTestDatabase({ empty: true });
    await migrateDatabase(database.url, logger);
    const first = await inspect(database.url);
    expect(first.tables).toEqual(expect.arrayContaining(expectedTables));
    expect(first.migrated).toBe(true);

    await migrateDatabase(database.url, logger);
    expect(await inspect(database.url)).toEqual(first);
  });

  it('are safe when several processes start at once', async () => {
    database = await createTestDatabase({ empty: true });
    const url = database.url;
    await Promise.all([1, 2, 3, 4].map(() => migrateDatabase(url, logger)));
    const state = await inspect(url);
    expect(state.migrated).toBe(true);
    expect(state.tables).toEqual(expect.arrayContaining(expectedTables));
  });

  it.each([
    ['UTF8', false],
    ['SQL_ASCII', true],
  ])(
    'backfill the stats counters, and keep queued uploads, of a %s database upgraded with data in it',
    async (_, sqlAscii) => {
      database = await createTestDatabase({ empty: true, sqlAscii });
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        await migrateUpTo(sql, 1); // the database as 0000_init left it
        const [template] = await sql<{ id: string }[]>`
        insert into templates (name, namespace, language_code) values ('t', 'ns', 'en') returning id`;
        const [campaign] = await sql<{ id: string }[]>`
        insert into campaigns (name, template_id, list_ids) values ('c', ${template?.id ?? ''}, '{}')
        returning id`;
        const c = campaign?.id ?? '';
        const [r1, r2] = await sql<{ id: string }[]>`
        insert into runs (campaign_id, scheduled_for)
        values (${c}, now() - interval '1 day'), (${c}, now()) returning id`;
        const run1 = r1?.id ?? '';
        const run2 = r2?.id ?? '';
        // +1 replies in both runs (one phone for the campaign), +2 opts out in run 1
        const ids = await sql<{ id: number; phone: string; run_id: string }[]>`
        insert into messages (run_id, campaign_id, contact_id, phone, kind, status, replied_at)
        select v.run_id::uuid, ${c}::uuid, gen_random_uuid(), v.phone, v.kind::message_kind,
          v.status::message_status, v.replied_at::timestamptz
        from (values
          (${run1}, '+1', 'template', 'sent', now()), (${run1}, '+2', 'template', 'delivered', null),
          (${run1}, '+3', 'template', 'failed', null), (${run1}, '+4', 'template', 'pending', null),
          (${run1}, '+1', 'followup', 'sent', null), (${run2}, '+1', 'template', 'read', now()),
          (${run2}, '+5', 'template', 'skipped', null)
        ) as v(run_id, phone, kind, status, replied_at)
        returning id, phone, run_id`;
        await sql`insert into messages (phone, kind, status) values ('+9', 'manual', 'sent')`;
        const id = (phone: string, run: string) =>
          ids.find((m) => m.phone === phone && m.run_id === run)?.id ?? 0;
        await sql`
        insert into inbound_messages (provider_message_id, phone, from_me, type, sent_at,
          attributed_message_id, campaign_id, is_opt_out)
        values ('a', '+1', false, 'chat', now() - interval '1 hour', ${id('+1', run1)}, ${c}, false),
          ('b', '+1', false, 'chat', now(), ${id('+1', run2)}, ${c}, false),
          ('c', '+2', false, 'chat', now(), ${id('+2', run1)}, ${c}, true)`;
        await sql`
        insert into conversations (phone, last_inbound_at, window_expires_at, campaign_id)
        values ('+1', now(), now() + interval '5 hours', ${c}),
          ('+2', now(), now() + interval '23 hours', ${c})`;
        await sql`insert into opt_outs (phone, source, campaign_id) values ('+2', 'keyword', ${c})`;
        // a queued import whose stored chunks split the bytes of a character
        const [list] = await sql<
          { id: string }[]
        >`insert into lists (name) values ('l') returning id`;
        const [queued] = await sql<{ id: string }[]>`
        insert into imports (list_id, status) values (${list?.id ?? ''}, 'queued') returning id`;
        const file = 'phone,name\n+79995253422,Zoë\n';
        const bytes = Buffer.from(`\uFEFF${file}`);
        const cut = bytes.indexOf(0xc3) + 1;
        await sql`
        insert into import_uploads (import_id, seq, data)
        values (${queued?.id ?? ''}, 0, ${bytes.subarray(0, cut)}), (${queued?.id ?? ''}, 1, ${bytes.subarray(cut)})`;

        await migrateDatabase(database.url, logger);
        // as many chunks as before (the text in the first), the BOM gone
        const chunks = await sql<{ seq: number; data: string }[]>`
        select seq, data from import_uploads where import_id = ${queued?.id ?? ''} order by seq`;
        expect(chunks).toEqual([
          { seq: 0, data: file },
          { seq: 1, data: '' },
        ]);
        expect(await countersOffRecount(sql)).toEqual([]);
        const figures =
          'audience, sent, delivered, failed, pending, skipped, replied, opted_out, follow_ups_sent, windows_open';
        expect(
          await sql`select ${sql.unsafe(figures)} from campaign_stats where campaign_id = ${c}`,
        ).toEqual([
          {
            audience: 6,
            sent: 3,
            delivered: 2,
            failed: 1,
            pending: 1,
            skipped: 1,
            replied: 1,
            opted_out: 1,
            follow_ups_sent: 1,
            windows_open: 2,
          },
        ]);
        expect(
          await sql`
          select run_id, ${sql.unsafe(figures)} from run_stats where campaign_id = ${c}
          order by scheduled_for`,
        ).toEqual([
          {
            run_id: run1,
            audience: 4,
            sent: 2,
            delivered: 1,
            failed: 1,
            pending: 1,
            skipped: 0,
            replied: 1,
            opted_out: 1,
            follow_ups_sent: 1,
            windows_open: 1,
          },
          {
            run_id: run2,
            audience: 2,
            sent: 1,
            delivered: 1,
            failed: 0,
            pending: 0,
            skipped: 1,
            replied: 1,
            opted_out: 0,
            follow_ups_sent: 0,
            windows_open: 1,
          },
        ]);
      } finally {
        await sql.end();
      }
    },
  );

  it('bring campaign rates stored before the bounds within 0.01 to 1,000 (0007)', async () => {
    database = await createTestDatabase({ empty: true });
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      await migrateUpTo(sql, 7);
      const [template] = await sql<{ id: string }[]>`
        insert into templates (name, namespace, language_code) values ('t', 'ns', 'en') returning id`;
      await sql`
        insert into campaigns (name, template_id, list_ids, rate_per_second)
        select 'c' || n, ${template?.id ?? ''}, '{}', rate
        from unnest(${[1e-300, 0.5, 5000, null]}::float8[]) with ordinality as r(rate, n)`;
      await migrateDatabase(database.url, logger);
      const rates = await sql<{ rate: number | null }[]>`
        select rate_per_second as rate from campaigns order by name`;
      expect(rates.map((r) => r.rate)).toEqual([0.01, 0.5, 1000, null]);
      await expect(sql`update campaigns set rate_per_second = 1e-300`).rejects.toThrow(
        /campaigns_rate_per_second_range/,
      );
    } finally {
      await sql.end();
    }
  });

  it('give every campaign the one default sender, and templates their defaults (0014)', async () => {
    database = await createTestDatabase({ empty: true });
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      await migrateUpTo(sql, 14);
      const [template] = await sql<{ id: string }[]>`
        insert into templates (name, namespace, language_code) values ('t', 'ns', 'en') returning id`;
      await sql`
        insert into campaigns (name, template_id, list_ids, status)
        values ('draft', ${template?.id ?? ''}, '{}', 'draft'),
          ('done', ${template?.id ?? ''}, '{}', 'completed')`;
      await migrateDatabase(database.url, logger);
      const defaults = await sql`
        select id, name, provider, is_default, status, credentials from senders`;
      expect(defaults).toEqual([
        {
          id: expect.any(String),
          name: 'Default',
          provider: 'sandbox',
          is_default: true,
          status: 'active',
          credentials: null,
        },
      ]);
      const defaultId = defaults[0]?.id;
      // an insert that names no sender gets the default one too (the API's default)
      await sql`
        insert into campaigns (name, template_id, list_ids) values ('new', ${template?.id ?? ''}, '{}')`;
      expect(await sql`select name, sender_id from campaigns order by name`).toEqual([
        { name: 'done', sender_id: defaultId },
        { name: 'draft', sender_id: defaultId },
        { name: 'new', sender_id: defaultId },
      ]);
      expect(
        await sql`select status, parameter_format, source, sender_id, components from templates`,
      ).toEqual([
        {
          status: 'approved',
          parameter_format: 'positional',
          source: 'manual',
          sender_id: null,
          components: null,
        },
      ]);
      await expect(
        sql`insert into senders (name, provider, is_default) values ('second', 'sandbox', true)`,
      ).rejects.toThrow(/senders_default_uq/);
    } finally {
      await sql.end();
    }
  });
});
