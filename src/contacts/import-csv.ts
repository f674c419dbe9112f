import type { CountryCode } from 'libphonenumber-js/max';
import type { AppContext } from '../context';
import type { ImportError } from '../db/schema';
import { normalizeHeaders } from './csv-header';
import { uploadRowBatches } from './csv-rows';
import type { PhoneResult } from './phone';
import { PhonePool } from './phone-pool';
import { type ContactRow, writeContacts } from './write-contacts';

const BATCH_ROWS = 5000;
/** Chunks (about 1 MB of file each) normalised ahead of the one being written. */
const NORMALIZE_AHEAD = 2;
const WRITES_IN_FLIGHT = 2;

type NormalizedChunk = { rows: string[][]; phones: PhoneResult[] };
const MAX_ERRORS = 1000;
const LOG_EVERY_ROWS = 100_000;

type Counts = {
  rows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
};

/**
 * Imports a stored upload into its list. Parsing and phone normalisation of one batch overlap
 * with the database writing the previous one. Progress (rows so far, counts, errors) is saved
 * after every batch, so GET /v1/imports/{id} shows it while the import runs.
 */
export async function importCsv(ctx: AppContext, importId: string): Promise<void> {
  const { sql } = ctx.database;
  // A retry after a crash starts the file again, from zero counts.
  const [claimed] = await sql<{ listId: string; options: Record<string, string> }[]>`
    update imports set status = 'running', rows = 0, created = 0, updated = 0, duplicates = 0,
      invalid = 0, errors = '[]', failure = null
    where id = ${importId} and status in ('queued', 'running')
    returning list_id as "listId", options`;
  if (!claimed) return;
  const { listId, options } = claimed;
  const log = ctx.logger.child({ importId, listId });
  const started = Date.now();
  const defaultCountry = options.defaultCountry as CountryCode | undefined;
  const counts: Counts = { rows: 0, created: 0, updated: 0, duplicates: 0, invalid: 0 };
  const errors: ImportError[] = [];
  const seen = new Set<string>();
  const reject = (row: number, value: string, reason: string) => {
    counts.invalid++;
    if (errors.length < MAX_ERRORS) errors.push({ row, value: value.slice(0, 200), reason });
  };

  let headers: string[] | undefined;
  let phoneIndex = -1;
  let batch: ContactRow[] = [];
  // Batches hold distinct phones, so concurrent writes never touch the same rows: two at a time
  // keep both cores of PostgreSQL busy while this thread parses the next chunk.
  const writing = new Set<Promise<void>>();
  let writeFailure: unknown;
  const flush = async () => {
    if (writeFailure) throw writeFailure;
    const rows = batch;
    batch = [];
    while (writing.size >= WRITES_IN_FLIGHT) await Promise.race(writing);
    const write = (async () => {
      if (rows.length > 0) {
        const written = await writeContacts(sql, importId, listId, rows);
        counts.created += written.created;
        counts.updated += written.updated;
      }
      await saveProgress(ctx, importId, counts, errors);
    })();
    writing.add(write);
    write.then(
      () => writing.delete(write),
      (error: unknown) => {
        writeFailure ??= error;
        writing.delete(write);
      },
    );
  };

  // Rows are taken in file order (row numbers, which repeat of a phone is the duplicate), while
  // the phones of the next chunks are being normalised by the pool.
  const consume = async ({ rows, phones }: NormalizedChunk, width: number) => {
    for (let i = 0; i < rows.length; i++) {
      const fields = rows[i] as string[];
      const row = ++counts.rows;
      const phone = phones[i] as PhoneResult;
      if (fields.length !== width) {
        reject(
          row,
          fields.join(options.delimiter ?? ','),
          `expected ${width} fields, found ${fields.length}`,
        );
      } else if (!phone.ok) {
        reject(row, fields[phoneIndex] ?? '', `invalid phone number: ${phone.reason}`);
      } else if (seen.has(phone.e164)) {
        counts.duplicates++;
      } else {
        seen.add(phone.e164);
        batch.push({
          phone: phone.e164,
          attributes: attributesOf(headers ?? [], fields, phoneIndex),
        });
        if (batch.length >= BATCH_ROWS) await flush();
      }
      if (row % LOG_EVERY_ROWS === 0)
        log.info({ ...counts, ms: Date.now() - started }, 'import progress');
    }
  };

  const pool = new PhonePool();
  try {
    const normalizing: Promise<NormalizedChunk>[] = [];
    for await (const chunk of uploadRowBatches(sql, importId, options.delimiter ?? ',')) {
      let rows = chunk;
      if (!headers) {
        if (rows.length === 0) continue;
        headers = normalizeHeaders(rows[0] as string[]);
        phoneIndex = headers.indexOf(options.phoneColumn ?? '');
        if (phoneIndex === -1)
          throw new Error(`phone column ${options.phoneColumn} not in the header`);
        rows = rows.slice(1);
      }
      const width = headers.length;
      const raw = rows.map((fields) => (fields.length === width ? (fields[phoneIndex] ?? '') : ''));
      normalizing.push(pool.normalize(raw, defaultCountry).then((phones) => ({ rows, phones })));
      if (normalizing.length > NORMALIZE_AHEAD)
        await consume(await (normalizing.shift() as Promise<NormalizedChunk>), width);
    }
    for (const next of normalizing) await consume(await next, headers?.length ?? 0);
    await flush();
    await Promise.all(writing);
    if (writeFailure) throw writeFailure;
  } finally {
    await pool.close();
  }
  await finishImport(ctx, importId, counts, errors);
  log.info({ ...counts, ms: Date.now() - started }, 'import completed');
}

/** Every column but the phone; empty cells are left out, so they never erase a known value. */
function attributesOf(
  headers: string[],
  fields: string[],
  phoneIndex: number,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < headers.length; i++) {
    const value = fields[i]?.trim();
    if (i !== phoneIndex && value) attributes[headers[i] as string] = value;
  }
  return attributes;
}

async function saveProgress(
  ctx: AppContext,
  importId: string,
  counts: Counts,
  errors: ImportError[],
) {
  const { sql } = ctx.database;
  await sql`
    update imports set rows = ${counts.rows}, created = ${counts.created}, updated = ${counts.updated},
      duplicates = ${counts.duplicates}, invalid = ${counts.invalid}, errors = ${JSON.stringify(errors)}::jsonb
    where id = ${importId}`;
}

async function finishImport(
  ctx: AppContext,
  importId: string,
  counts: Counts,
  errors: ImportError[],
) {
  await ctx.database.sql.begin(async (tx) => {
    await tx`
      update imports set status = 'completed', finished_at = now(), rows = ${counts.rows},
        created = ${counts.created}, updated = ${counts.updated}, duplicates = ${counts.duplicates},
        invalid = ${counts.invalid}, errors = ${JSON.stringify(errors)}::jsonb
      where id = ${importId}`;
    await tx`delete from import_uploads where import_id = ${importId}`;
    // Opt-outs recorded before the contact existed now point at it.
    await tx`
      update opt_outs o set contact_id = c.id from contacts c
      where o.contact_id is null and c.phone = o.phone and c.created_by_import_id = ${importId}`;
  });
}

export async function failImport(ctx: AppContext, importId: string, error: unknown): Promise<void> {
  const { sql } = ctx.database;
  await sql`
    update imports set status = 'failed', finished_at = now(), failure = ${String(error)}
    where id = ${importId} and status <> 'completed'`;
  await sql`delete from import_uploads where import_id = ${importId}`;
}
