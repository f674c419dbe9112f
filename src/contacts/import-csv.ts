import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { CountryCode } from 'libphonenumber-js/max';
import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import type { ImportError } from '../db/schema';
import { normalizeHeaders } from './csv-header';
import { uploadRowBatches } from './csv-rows';
import type { PhoneResult } from './phone';
import { PhonePool } from './phone-pool';
import { createStaging, mergeStaged, openStagingCopy, stagingLine } from './write-contacts';

/** Chunks (about 1 MB of file each) being normalised while the previous one is copied. */
const NORMALIZE_AHEAD = 2;

type NormalizedChunk = { rows: string[][]; phones: PhoneResult[] };
const MAX_ERRORS = 1000;

type Counts = {
  rows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
};

/**
 * Imports a stored upload into its list, in one transaction: the rows are parsed, their phones
 * normalised by worker threads, and the accepted ones streamed by COPY into a temporary table;
 * then one statement merges them into contacts and the list, and the import is marked completed
 * in the same commit. A failure or a crash leaves nothing of the file behind, and a retry starts
 * again from zero. While the rows are read, progress (rows so far, invalid rows and their
 * errors) is saved after every chunk, outside the transaction, so GET /v1/imports/{id} shows it;
 * created, updated and duplicates are known when the merge is done.
 *
 * Memory stays at a few chunks: the parser waits for the consumer, the consumer for the phone
 * workers (at most NORMALIZE_AHEAD chunks ahead) and for COPY's back-pressure; duplicates are
 * found by PostgreSQL, not in a set of every phone.
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
  const delimiter = options.delimiter ?? ',';
  const counts: Counts = { rows: 0, created: 0, updated: 0, duplicates: 0, invalid: 0 };
  const errors: ImportError[] = [];
  let staged = 0;
  const reject = (row: number, value: string, reason: string) => {
    counts.invalid++;
    if (errors.length < MAX_ERRORS) errors.push({ row, value: value.slice(0, 200), reason });
  };

  let headers: string[] | undefined;
  /** The headers as JSON keys, the phone column's left out. */
  let keys: string[] = [];
  let phoneIndex = -1;

  // Rows are taken in file order (row numbers), while the phones of the next chunks are being
  // normalised by the pool; the chunk's accepted rows become one block of COPY text.
  const consume = ({ rows, phones }: NormalizedChunk, width: number): string => {
    let text = '';
    for (let i = 0; i < rows.length; i++) {
      const fields = rows[i] as string[];
      const row = ++counts.rows;
      const phone = phones[i] as PhoneResult;
      if (fields.length !== width) {
        reject(row, fields.join(delimiter), `expected ${width} fields, found ${fields.length}`);
      } else if (!phone.ok) {
        reject(row, fields[phoneIndex] ?? '', `invalid phone number: ${phone.reason}`);
      } else {
        text += stagingLine(row, phone.e164, keys, fields);
        staged++;
      }
    }
    return text;
  };

  const pool = new PhonePool();
  try {
    await sql.begin(async (tx) => {
      await createStaging(tx);
      const copy = await openStagingCopy(tx);
      const write = async (text: string) => {
        if (text && !copy.write(text)) await once(copy, 'drain');
      };
      try {
        const normalizing: Promise<NormalizedChunk>[] = [];
        const next = async (width: number) => {
          await write(consume(await (normalizing.shift() as Promise<NormalizedChunk>), width));
          await saveProgress(ctx, importId, counts, errors);
        };
        for await (const chunk of uploadRowBatches(sql, importId, delimiter)) {
          let rows = chunk;
          if (!headers) {
            if (rows.length === 0) continue;
            headers = normalizeHeaders(rows[0] as string[]);
            phoneIndex = headers.indexOf(options.phoneColumn ?? '');
            if (phoneIndex === -1)
              throw new Error(`phone column ${options.phoneColumn} not in the header`);
            keys = headers.map((header, i) => (i === phoneIndex ? '' : JSON.stringify(header)));
            rows = rows.slice(1);
          }
          const width = headers.length;
          const raw = rows.map((fields) =>
            fields.length === width ? (fields[phoneIndex] ?? '') : '',
          );
          normalizing.push(
            pool.normalize(raw, defaultCountry).then((phones) => ({ rows, phones })),
          );
          if (normalizing.length > NORMALIZE_AHEAD) await next(width);
        }
        while (normalizing.length > 0) await next(headers?.length ?? 0);
        copy.end();
        await finished(copy);
      } catch (error) {
        // Ends the COPY with a failure, so that the transaction can roll back.
        copy.destroy(error as Error);
        throw error;
      }
      log.info({ rows: counts.rows, staged, ms: Date.now() - started }, 'import rows staged');
      const merged = await mergeStaged(tx, importId, listId);
      counts.created = merged.created;
      counts.updated = merged.updated;
      counts.duplicates = staged - merged.created - merged.updated;
      await finishImport(tx, importId, counts, errors);
    });
  } finally {
    await pool.close();
  }
  log.info({ ...counts, ms: Date.now() - started }, 'import completed');
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

/** In the import's transaction: the counts, the end of the upload, the opt-outs' contacts. */
async function finishImport(
  tx: TransactionSql,
  importId: string,
  counts: Counts,
  errors: ImportError[],
) {
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
}

export async function failImport(ctx: AppContext, importId: string, error: unknown): Promise<void> {
  const { sql } = ctx.database;
  await sql`
    update imports set status = 'failed', finished_at = now(), failure = ${String(error)}
    where id = ${importId} and status <> 'completed'`;
  await sql`delete from import_uploads where import_id = ${importId}`;
}
