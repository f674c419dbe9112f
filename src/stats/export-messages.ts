import { getCampaign } from '../campaigns/get-campaigns';
import type { AppContext } from '../context';
import type { InFlightLimit } from '../http/in-flight';
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

/** Rows per query: memory stays at one batch whatever the size. */
const BATCH = 1000;

/**
 * GET /v1/campaigns/{id}/messages with `Accept: text/csv`: every row of the filter (no page),
 * read in id order one batch at a time, each batch a query of its own on the bulk pool (after
 * the last id written), run only when the client has taken the one before. A slow client holds
 * back the reads, not a connection: nothing is open on the database between two batches.
 * The export counts against `inFlight` (429 past it) until it ends, fails or the client goes
 * away.
 */
export async function exportMessages(
  ctx: AppContext,
  campaignId: string,
  query: Pick<MessagesQuery, 'status' | 'run'>,
  inFlight: InFlightLimit,
): Promise<ReadableStream<Uint8Array>> {
  await getCampaign(ctx, campaignId);
  const ended = inFlight.admit();
  const { bulk } = ctx.database;
  const filter = { campaignId, status: query.status, runId: query.run };
  let afterId: string | undefined;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(header)));
      },
      async pull(controller) {
        try {
          const rows = await bulk<Message[]>`
            ${messageRows(bulk, filter, afterId)} limit ${BATCH}`;
          afterId = rows.at(-1)?.id ?? afterId;
          const text = rows.map((row) => csvLine(header.map((key) => row[key]))).join('');
          if (text) controller.enqueue(encoder.encode(text));
          if (rows.length < BATCH) {
            ended();
            controller.close();
          }
        } catch (error) {
          ctx.logger.error({ err: error, campaignId }, 'CSV export failed');
          ended();
          controller.error(error);
        }
      },
      cancel() {
        ended();
      },
    },
    { highWaterMark: 1 },
  );
}
