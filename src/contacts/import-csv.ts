import type { CountryCode } from 'libphonenumber-js/max';
import type { AppContext } from '../context';
import type { ImportError } from '../db/schema';
import { normalizeHeaders } from './csv-header';
import { uploadRows } from './csv-rows';
import { normalizePhone } from './phone';
import { type ContactRow, writeContacts } from './write-contacts';

const BATCH_ROWS = 5000;
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
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = batch;
    batch = [];
    await writing; // one write in flight at a time
    writing = (async () => {
      if (rows.length > 0) {
        const written = await writeContacts(sql, importId, listId, rows);
        counts.created += written.created;
        counts.updated += written.updated;
      }
      await saveProgress(ctx, importId, counts, errors);
    })();
  };

  for await (const fields of uploadRows(sql, importId, options.delimiter ?? ',')) {
    if (!headers) {
      headers = normalizeHeaders(fields);
      phoneIndex = headers.indexOf(options.phoneColumn ?? '');
      if (phoneIndex === -1)
        throw new Error(`phone column ${options.phoneColumn} not in the header`);
      continue;
    }
    const row = ++counts.rows;
    if (fields.length !== headers.length) {
      reject(
        row,
        fields.join(options.delimiter ?? ','),
        `expected ${headers.length} fields, found ${fields.length}`,
      );
    } else {
      const raw = fields[phoneIndex] ?? '';
      const phone = normalizePhone(raw, defaultCountry);
      if (!phone.ok) reject(row, raw, `invalid phone number: ${phone.reason}`);
      else if (seen.has(phone.e164)) counts.duplicates++;
      else {
        seen.add(phone.e164);
        batch.push({ phone: phone.e164, attributes: attributesOf(headers, fields, phoneIndex) });
      }
    }
    if (batch.length >= BATCH_ROWS) await flush();
    if (row % LOG_EVERY_ROWS === 0)
      log.info({ ...counts, ms: Date.now() - started }, 'import progress');
  }
  await flush();
  await writing;
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
