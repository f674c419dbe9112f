import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AppError } from '../errors';

/** What a live stream sends: figures by name; `done` ends the stream (the run finished). */
export type LiveFigures = Record<string, string | number | boolean | null> & { done?: boolean };
type Listener = (figures: LiveFigures) => void;
type Feed = { listeners: Set<Listener>; last?: LiveFigures; timer?: NodeJS.Timeout };

/**
 * Live figures for many viewers at the cost of one (docs/console.md: live figures): one loader
 * per key (`campaign:<id>`) runs once a second while anyone watches, and every open page of that
 * key gets its answer. A hundred pages on one campaign cost one query a second, not a hundred.
 */
export class LiveHub {
  private readonly feeds = new Map<string, Feed>();
  private streams = 0;

  constructor(
    private readonly options: { intervalMs: number; maxStreams: number; maxStreamSeconds: number },
  ) {}

  /** The open streams, all keys together; past `maxStreams` a new one is a 429. */
  get openStreams() {
    return this.streams;
  }

  subscribe(key: string, load: () => Promise<LiveFigures>, listener: Listener): () => void {
    let feed = this.feeds.get(key);
    if (!feed) {
      const created: Feed = { listeners: new Set() };
      const tick = async () => {
        try {
          created.last = await load();
          for (const each of created.listeners) each(created.last);
        } catch {
          // a failed load (the database restarting) skips a beat; the next one retries
        }
        if (created.listeners.size > 0 && !created.last?.done) {
          created.timer = setTimeout(tick, this.options.intervalMs);
        } else {
          this.feeds.delete(key);
        }
      };
      feed = created;
      this.feeds.set(key, created);
      void tick();
    } else if (feed.last) {
      listener(feed.last);
    }
    feed.listeners.add(listener);
    const joined = feed;
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0) {
        clearTimeout(joined.timer);
        if (this.feeds.get(key) === joined) this.feeds.delete(key);
      }
    };
  }

  /**
   * Answers with a server-sent event stream of the key's figures: one `message` per change, an
   * `end` event when the figures are final. A stream lasts at most `maxStreamSeconds`, after
   * which the browser's EventSource reconnects by itself; it holds no database connection.
   */
  stream(c: Context, key: string, load: () => Promise<LiveFigures>) {
    if (this.streams >= this.options.maxStreams) {
      throw AppError.tooManyRequests('Too many live pages are open: try again shortly.', 5);
    }
    this.streams += 1;
    return streamSSE(c, async (sse) => {
      let last = '';
      let ended = false;
      const done = new Promise<void>((resolve) => {
        const unsubscribe = this.subscribe(key, load, (figures) => {
          const data = JSON.stringify(figures);
          if (data === last) return;
          last = data;
          void sse.writeSSE({ data }).then(async () => {
            if (figures.done && !ended) {
              ended = true;
              await sse.writeSSE({ event: 'end', data: '{}' });
              finish();
            }
          });
        });
        const limit = setTimeout(() => finish(), this.options.maxStreamSeconds * 1000);
        const finish = () => {
          clearTimeout(limit);
          unsubscribe();
          resolve();
        };
        sse.onAbort(finish);
      });
      try {
        await done;
      } finally {
        this.streams -= 1;
      }
    });
  }
}
