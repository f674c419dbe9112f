import type { Sql } from '../db/client';
import { AppError } from '../errors';
import { fieldErrors } from '../http/problem';
import { WebhookBody } from './event-schema';
import { type EventOrigin, insertEvents } from './queries';

/** Parses a webhook body, or throws the 400 problem that names the reason. Stores nothing. */
export function parseWebhookBody(text: string): WebhookBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'bad_request',
      `The body is not JSON: ${(error as Error).message}`,
      undefined,
      400,
    );
  }
  const parsed = WebhookBody.safeParse(json);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    throw new AppError(
      'bad_request',
      `Not a chat-api webhook body: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors,
      400,
    );
  }
  return parsed.data;
}

type Waiting = {
  text: string;
  origin: EventOrigin;
  resolve: () => void;
  reject: (error: unknown) => void;
};

/**
 * Stores raw webhook bodies with group commit: while `maxInFlight` inserts are running, later
 * requests queue and go in together as one multi-row insert, so that a burst of single-event
 * requests costs a few commits rather than one each. A request is answered only when the insert
 * holding its body has committed. A batch that fails is retried one body at a time, so that a
 * body PostgreSQL refuses (a `\u0000` in a string, say) fails alone, as a 400.
 */
export class EventStore {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly sql: Sql,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  store(text: string, origin: EventOrigin): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ text, origin, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await insertEvents(
        this.sql,
        batch.map((w) => ({ text: w.text, ...w.origin })),
      );
      for (const w of batch) w.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(storageError(error));
        return;
      }
    }
    for (const w of batch) {
      try {
        await insertEvents(this.sql, [{ text: w.text, ...w.origin }]);
        w.resolve();
      } catch (error) {
        w.reject(storageError(error));
      }
    }
  }
}

/** A data error (class 22: text jsonb cannot hold) is the sender's fault; the rest are ours. */
function storageError(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('22')) {
    return new AppError(
      'bad_request',
      `The body holds text that cannot be stored: ${(error as Error).message}`,
      undefined,
      400,
    );
  }
  return error;
}
