import { AppError } from '../errors';

/**
 * The chunks of a request body, cut with a 408 when the client sends nothing for `idleMs`: a
 * stalled upload must not keep its place for ever. Only the waits for the client are timed,
 * not what the caller does with each chunk.
 */
export async function* cutWhenIdle<T>(body: AsyncIterable<T>, idleMs: number): AsyncGenerator<T> {
  const chunks = body[Symbol.asyncIterator]();
  let reading: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      reading = chunks.next();
      const result = await withinIdle(reading, idleMs);
      reading = undefined;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // A read still waiting for a stalled client settles when the server drops the connection
    // (after the answer): nobody waits for it. Otherwise the body is let go of as a loop would.
    if (reading) reading.catch(() => {});
    else await chunks.return?.();
  }
}

async function withinIdle<T>(reading: Promise<T>, idleMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'request_timeout',
            `The upload sent nothing for ${idleMs / 1000} s and was cut; nothing of it was stored.`,
          ),
        ),
      idleMs,
    );
  });
  try {
    return await Promise.race([reading, idle]);
  } finally {
    clearTimeout(timer);
  }
}
