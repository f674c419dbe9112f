import { getCampaign } from '../campaigns/get-campaigns';
import type { AppContext } from '../context';
import type { Sql } from '../db/client';
import type { InFlightLimit } from '../http/in-flight';
import { TempFile } from '../temp-file';
import { exportLayout, requestedAttributes, tooManyAttributes } from './export-columns';
import { attributeNames, exportRowsByIds, type MessageFilter, messageIds } from './queries';
import type { MessagesQuery } from './schemas';
import type { Turns } from './turns';

/** Rows per batch sent: memory stays at one batch whatever the size. */
const BATCH = 1000;
/**
 * What one batch may hold at most, in characters of attribute values: with wide attributes a
 * batch has fewer rows (100 columns of 1,024 characters made 1,000 rows some 100 MB, held by
 * each of EXPORTS_MAX_CONCURRENT exports).
 */
const BATCH_ATTRIBUTE_CHARS = 2 * 1024 * 1024;

/**
 * Rows per batch for `columns` attribute columns of at most `maxValueChars` each (the import's
 * limit, IMPORT_MAX_VALUE_CHARS): BATCH, or fewer, so that a batch's attribute values stay
 * within BATCH_ATTRIBUTE_CHARS; at least 10.
 */
export function batchRows(columns: number, maxValueChars: number): number {
  const perRow = columns * maxValueChars;
  if (perRow === 0) return BATCH;
  return Math.max(10, Math.min(BATCH, Math.floor(BATCH_ATTRIBUTE_CHARS / perRow)));
}
/** Ids per round trip while the id list is written. */
const IDS_PER_FETCH = 10_000;
/** An id in the list: a float64 (identity values stay below 2^53). */
const ID_BYTES = Float64Array.BYTES_PER_ELEMENT;

/**
 * GET /v1/campaigns/{id}/messages with `Accept: text/csv`: every row of the filter (no page),
 * in two steps, so that a slow client holds no database connection, and each query is cheap
 * whatever PostgreSQL's statistics say:
 * 1. the ids of the rows, one query in id order (the page's filter), read at the database's
 *    pace into a temporary file (8 bytes a row), on the bulk pool;
 * 2. the rows, 1,000 ids at a time by primary key (fewer with wide attributes: batchRows) (with their contacts' attributes and their
 *    replies' text, joined by key in the same query), a batch only when the client has taken
 *    the one before, and in turn with the batches of the other exports.
 * The attribute columns are known before the first row: the ones `?attributes=` names, else
 * every attribute of the filter's contacts (one query up front, refused past IMPORT_MAX_COLUMNS).
 * The export counts against `inFlight` (429 past it) until it ends, fails or the client goes
 * away. (Not batches of "the next 1,000 after the last id": each is planned afresh, and with
 * statistics that do not know a new campaign yet PostgreSQL sorts all that remains of it for
 * every batch: docs/decisions.md, Slow clients.)
 */
export async function exportMessages(
  ctx: AppContext,
  campaignId: string,
  query: Pick<MessagesQuery, 'status' | 'run' | 'attributes' | 'phoneFormat'>,
  limits: { inFlight: InFlightLimit; turns: Turns },
): Promise<ReadableStream<Uint8Array>> {
  const campaign = await getCampaign(ctx, campaignId);
  const maxColumns = ctx.config.IMPORT_MAX_COLUMNS;
  const named =
    query.attributes === undefined ? undefined : requestedAttributes(query.attributes, maxColumns);
  const { bulk } = ctx.database;
  const filter = { campaignId, status: query.status, runId: query.run };
  const release = limits.inFlight.admit();
  let ids: TempFile | undefined;
  let total: number;
  let names: string[];
  try {
    names = named ?? (await allAttributeNames(bulk, filter, maxColumns));
    ids = await TempFile.open();
    total = await writeIds(bulk, filter, ids);
  } catch (error) {
    await ids?.close();
    release();
    throw error;
  }
  const list = ids;
  let ended = false;
  const end = async () => {
    if (ended) return;
    ended = true;
    release();
    await list.close();
  };
  const layout = exportLayout(campaign.name, names, query.phoneFormat);
  const rowsPerBatch = batchRows(names.length, ctx.config.IMPORT_MAX_VALUE_CHARS);
  let sent = 0;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(layout.header));
      },
      async pull(controller) {
        try {
          await limits.turns.take(async () => {
            const read = new Float64Array(rowsPerBatch);
            const bytes = await list.readAt(sent * ID_BYTES, new Uint8Array(read.buffer));
            const batch = Array.from(read.subarray(0, bytes / ID_BYTES));
            sent += batch.length;
            const rows = batch.length > 0 ? await exportRowsByIds(bulk, batch, names) : [];
            const text = rows.map(layout.line).join('');
            if (text) controller.enqueue(encoder.encode(text));
          });
          if (sent >= total) {
            await end();
            controller.close();
          }
        } catch (error) {
          // A batch cut short by the client going away is no failure.
          if (!ended) ctx.logger.error({ err: error, campaignId }, 'CSV export failed');
          await end();
          controller.error(error);
        }
      },
      async cancel() {
        await end();
      },
    },
    { highWaterMark: 1 },
  );
}

/** Writes the filter's ids in order to `file`; answers how many. */
async function writeIds(bulk: Sql, filter: MessageFilter, file: TempFile): Promise<number> {
  let count = 0;
  for await (const rows of messageIds(bulk, filter).cursor(IDS_PER_FETCH)) {
    const chunk = Float64Array.from(rows, (row) => row.id);
    await file.append(new Uint8Array(chunk.buffer));
    count += rows.length;
  }
  return count;
}

/** Every attribute name of the filter's contacts, or a 400 past `limit` of them. */
async function allAttributeNames(bulk: Sql, filter: MessageFilter, limit: number) {
  const rows = await attributeNames(bulk, filter, limit + 1);
  if (rows.length > limit) throw tooManyAttributes(limit);
  return rows.map((row) => row.name);
}
