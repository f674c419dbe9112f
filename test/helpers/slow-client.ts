import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';

export type Answer = { status: number; headers: IncomingHttpHeaders; body: string };

/**
 * A CSV upload whose body the test writes piece by piece, at a client's own pace, over a raw
 * HTTP/1.1 connection (chunked). `answer` settles when the service answers (it may before the
 * body ends: a 429, a 408) and rejects when the connection is cut without an answer; `closed`
 * when the connection is gone, either way.
 */
export type SlowUpload = {
  write(text: string): void;
  end(): void;
  /** Drops the connection mid-body, as a closed browser tab or a killed curl does. */
  abort(): void;
  answer: Promise<Answer>;
  /** Whether the service has answered yet. */
  answered(): boolean;
  closed: Promise<void>;
};

export function openUpload(url: string, token: string, contentType = 'text/csv'): SlowUpload {
  const req = request(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
  });
  let answered = false;
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      answered = true;
      readAll(res).then(
        (body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
        reject,
      );
    });
    req.on('error', reject);
  });
  // A write after the service has answered and cut the connection fails: that is the point.
  answer.catch(() => {});
  const closed = new Promise<void>((resolve) => req.on('close', () => resolve()));
  req.flushHeaders();
  return {
    write: (text) => {
      if (!req.destroyed) req.write(text);
    },
    end: () => {
      if (!req.destroyed) req.end();
    },
    abort: () => req.destroy(),
    answer,
    answered: () => answered,
    closed,
  };
}

/** Sends `lines` to the upload one every `intervalMs` (a slow client), then ends it. */
export async function trickle(upload: SlowUpload, lines: string[], intervalMs: number) {
  for (const line of lines) {
    upload.write(`${line}\n`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  upload.end();
}

/**
 * A GET whose answer the caller reads at its own pace: the response comes back paused (nothing
 * read beyond what the sockets buffer) until the caller reads it.
 */
export function openDownload(
  url: string,
  headers: Record<string, string>,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads the rest of a response and counts its lines (LF) without keeping it; with
 * `bytesPerSecond`, no faster than that (a slow reader: after each chunk, it waits the chunk's
 * share of a second).
 */
export async function countLines(res: IncomingMessage, bytesPerSecond = 0): Promise<number> {
  let lines = 0;
  for await (const chunk of res) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
    if (bytesPerSecond > 0) {
      await new Promise((resolve) => setTimeout(resolve, (bytes.length / bytesPerSecond) * 1000));
    }
  }
  return lines;
}
