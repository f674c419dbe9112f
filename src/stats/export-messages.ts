import { getCampaign } from '../campaigns/get-campaigns';
import type { AppContext } from '../context';
import type { Message } from '../messages/message-json';
import { csvLine } from './csv-cell';
import { messageRows } from './message-rows';
import type { MessagesQuery } from './schemas';

const header: (keyof Message)[] = [
  'id',
  'runId',
  'contactId',
  'phone',
  'kind',
  'status',
  'providerMessageId',
  'error',
  'attempts',
  'sentAt',
  'deliveredAt',
  'readAt',
  'repliedAt',
];

/** Rows per round trip of the server-side cursor: memory stays at one batch whatever the size. */
const BATCH = 1000;

/**
 * GET /v1/campaigns/{id}/messages with `Accept: text/csv`: every row of the filter (no page),
 * read through a PostgreSQL cursor one batch at a time and written as the client pulls, so a
 * slow client holds back the reads instead of filling memory. The cursor holds one pooled
 * connection until the export ends or the client goes away (cancel closes it).
 */
export async function exportMessages(
  ctx: AppContext,
  campaignId: string,
  query: Pick<MessagesQuery, 'status' | 'run'>,
): Promise<ReadableStream<Uint8Array>> {
  await getCampaign(ctx, campaignId);
  const { sql } = ctx.database;
  const batches = messageRows(
    sql,
    { campaignId, status: query.status, runId: query.run },
    undefined,
  )
    .cursor(BATCH)
    [Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(header)));
      },
      async pull(controller) {
        try {
          const next = await batches.next();
          if (next.done) {
            controller.close();
            return;
          }
          const text = next.value.map((row) => csvLine(header.map((key) => row[key]))).join('');
          controller.enqueue(encoder.encode(text));
        } catch (error) {
          ctx.logger.error({ err: error, campaignId }, 'CSV export failed');
          controller.error(error);
        }
      },
      async cancel() {
        await batches.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}
