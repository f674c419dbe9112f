import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import Papa from 'papaparse';
import postgres from 'postgres';
import { normalizePhone } from '../../src/contacts/phone';
import { migrateDatabase } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import {
  benchServer,
  dropDatabase,
  type Figure,
  freshDatabase,
  hasPsql,
  median,
  startServiceProcess,
} from './harness';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 1);

/** A deterministic pseudo-random sequence, so every run imports the same file. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** phone + 3 attributes, five countries written in several ways, ~3% duplicates and ~2% bad numbers. */
async function generateCsv(file: string, rows: number): Promise<void> {
  const random = rng(42);
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r(undefined)));
  await write('phone,first_name,city,tier\n');
  const formats = [
    (n: number) =>
      `+7 (999) ${String(n).slice(0, 3)}-${String(n).slice(3, 5)}-${String(n).slice(5, 7)}`,
    (n: number) => `4915${String(n).padStart(8, '0')}`,
    (n: number) => `+1 415 ${String(n).slice(0, 3)} ${String(n).slice(3, 7)}`,
    (n: number) => `+44 7911 ${String(n).slice(0, 6)}`,
    (n: number) => `+55 11 9${String(n).slice(0, 4)}-${String(n).slice(4, 8)}`,
  ];
  const cities = ['Moscow', 'Berlin', 'San Francisco', 'London', 'São Paulo'];
  const tiers = ['gold', 'silver', 'bronze'];
  for (let i = 0; i < rows; i++) {
    const roll = random();
    const country = i % formats.length;
    const format = formats[country] as (n: number) => string;
    const n = 1_000_000 + Math.floor(i / formats.length) * 7 + (roll < 0.03 ? -7 : 0); // ~3% repeat an earlier number
    const phone = roll > 0.98 ? `12${i % 1000}` : format(n % 100_000_000);
    await write(`${phone},Name ${i},"${cities[country]}",${tiers[i % 3]}\n`);
  }
  out.end();
  await finished(out);
}

async function psqlCopy(databaseUrl: string, file: string): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await sql`drop table if exists bare_copy`;
  await sql`create table bare_copy (phone text, first_name text, city text, tier text)`;
  await sql.end();
  const started = performance.now();
  const result = spawnSync(
    'psql',
    [databaseUrl, '-q', '-c', `\\copy bare_copy from '${file}' with (format csv, header true)`],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`psql \\copy failed: ${result.stderr}`);
  return performance.now() - started;
}

/**
 * The database's part alone, a floor for any import into this schema: `psql \copy` of the file
 * into a bare table, then one insert of its rows into contacts (the phone's digits, the other
 * columns as JSON attributes, one row per phone) and one of their list memberships. No phone
 * rules, no merge with existing contacts, no progress, no upload stored. Answers the copy's
 * time (the baseline), the time until the contacts are in (a schema with contacts only, and no
 * lists, could do no better), and the whole floor's.
 */
async function databaseFloor(
  adminUrl: string,
  file: string,
): Promise<{ copyMs: number; contactsMs: number; floorMs: number }> {
  const db = await freshDatabase(adminUrl, 'wa_bench_floor');
  try {
    await migrateDatabase(db, createLogger('silent'));
    const copyMs = await psqlCopy(db, file);
    const sql = postgres(db, { max: 1, onnotice: () => {} });
    try {
      const started = performance.now();
      const [list] = await sql<
        { id: string }[]
      >`insert into lists (name) values ('floor') returning id`;
      await sql`
        insert into contacts (phone, attributes)
        select distinct on (phone) phone, attributes from (
          select '+' || regexp_replace(phone, '\D', '', 'g') as phone,
            jsonb_build_object('first_name', first_name, 'city', city, 'tier', tier) as attributes
          from bare_copy) file
        order by phone`;
      const contactsMs = copyMs + performance.now() - started;
      await sql`insert into list_members (list_id, contact_id) select ${list?.id ?? ''}, id from contacts`;
      return { copyMs, contactsMs, floorMs: copyMs + performance.now() - started };
    } finally {
      await sql.end();
    }
  } finally {
    await dropDatabase(adminUrl, 'wa_bench_floor');
  }
}

/**
 * The libraries' part alone, the other floor: papaparse over the file and the phone rules
 * (libphonenumber-js behind `normalizePhone`) on every row, in this process, with no database.
 * It runs on one core; with two, the import can be no faster than half of this plus half of the
 * database floor, whatever its design.
 */
async function libraryFloor(file: string): Promise<number> {
  const started = performance.now();
  let valid = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(createReadStream(file, 'utf8') as unknown as File, {
      skipEmptyLines: 'greedy',
      chunk: (results) => {
        for (const row of results.data) if (normalizePhone(row[0] ?? '').ok) valid++;
      },
      complete: () => resolve(),
      error: reject,
    });
  });
  if (valid === 0) throw new Error('no phone of the file passed the phone rules');
  return performance.now() - started;
}

async function importThroughApi(databaseUrl: string, file: string) {
  const service = await startServiceProcess(databaseUrl);
  try {
    const headers = { authorization: `Bearer ${service.token}` };
    const list = (await (
      await fetch(`${service.baseUrl}/v1/lists`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench' }),
      })
    ).json()) as { id: string };
    const started = performance.now();
    const response = await fetch(`${service.baseUrl}/v1/lists/${list.id}/imports`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (response.status !== 202)
      throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    const accepted = (await response.json()) as { id: string };
    const uploadedMs = performance.now() - started;
    for (;;) {
      const current = (await (
        await fetch(`${service.baseUrl}/v1/imports/${accepted.id}`, { headers })
      ).json()) as {
        status: string;
        rows: number;
        created: number;
        updated: number;
        duplicates: number;
        invalid: number;
        errors?: unknown[];
      };
      if (current.status === 'completed' || current.status === 'failed') {
        return {
          ms: performance.now() - started,
          uploadedMs,
          peakRssMb: service.peakRssMb(),
          result: { ...current, errors: undefined },
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await service.stop();
  }
}

export async function benchImport(): Promise<Figure[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wa-bench-import-'));
  const file = path.join(dir, 'contacts.csv');
  const server = await benchServer();
  try {
    await generateCsv(file, ROWS);
    console.log(
      `import: ${ROWS} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB, ${RUNS} run(s), ${server.embedded ? 'embedded' : 'external'} PostgreSQL`,
    );
    const copies: number[] = [];
    const floors: number[] = [];
    const contactsOnly: number[] = [];
    const libraries: number[] = [];
    const imports: { ms: number; peakRssMb: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const db = await freshDatabase(server.adminUrl, 'wa_bench_import');
      if (hasPsql()) {
        const { copyMs, contactsMs, floorMs } = await databaseFloor(server.adminUrl, file);
        copies.push(copyMs);
        contactsOnly.push(contactsMs);
        floors.push(floorMs);
      }
      libraries.push(await libraryFloor(file));
      const measured = await importThroughApi(db, file);
      const { result } = measured;
      console.log(
        `  run ${run + 1}: import ${(measured.ms / 1000).toFixed(2)} s (upload stored after ${(measured.uploadedMs / 1000).toFixed(2)} s), peak RSS ${measured.peakRssMb.toFixed(0)} MB, psql \\copy ${copies.at(-1) ? `${((copies.at(-1) as number) / 1000).toFixed(2)} s` : 'n/a'}, database floor ${floors.at(-1) ? `${((floors.at(-1) as number) / 1000).toFixed(2)} s` : 'n/a'}, library floor ${((libraries.at(-1) as number) / 1000).toFixed(2)} s; ${JSON.stringify({ ...result, errors: undefined })}`,
      );
      if (
        result.status !== 'completed' ||
        result.rows !== result.created + result.updated + result.duplicates + result.invalid
      ) {
        throw new Error(`import did not add up: ${JSON.stringify(result)}`);
      }
      imports.push(measured);
      await dropDatabase(server.adminUrl, 'wa_bench_import');
    }
    const importMs = median(imports.map((m) => m.ms));
    const rss = Math.max(...imports.map((m) => m.peakRssMb));
    const copyMs = copies.length ? median(copies) : undefined;
    const figures: Figure[] = [
      {
        what: `CSV import ${ROWS} rows`,
        value: `${(importMs / 1000).toFixed(2)} s`,
        goal: '≤ 15 s',
        ok: importMs <= 15_000,
      },
      {
        what: 'CSV import peak RSS',
        value: `${rss.toFixed(0)} MB`,
        goal: '≤ 300 MB',
        ok: rss <= 300,
      },
    ];
    if (copyMs !== undefined) {
      const floorMs = median(floors);
      const libraryMs = median(libraries);
      // Both floors' work spread perfectly over the machine's two cores: no import can beat it.
      const boundMs = (floorMs + libraryMs) / 2;
      // The goal is a ratio to the database floor: the earlier "5× of psql \\copy" was shown
      // unreachable on two cores by that floor itself (docs/decisions.md).
      figures.push({
        what: 'CSV import vs its database floor',
        value: `${(importMs / floorMs).toFixed(2)}×`,
        goal: '≤ 1.3×',
        baseline: `database floor ${(floorMs / 1000).toFixed(2)} s; psql \\copy ${(copyMs / 1000).toFixed(2)} s (import ${(importMs / copyMs).toFixed(1)}×, floor ${(floorMs / copyMs).toFixed(1)}×, contacts alone ${(median(contactsOnly) / copyMs).toFixed(1)}×); library floor ${(libraryMs / 1000).toFixed(2)} s; on 2 cores no import beats ${(boundMs / copyMs).toFixed(1)}× the copy`,
        ok: importMs / floorMs <= 1.3,
      });
    }
    return figures;
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
