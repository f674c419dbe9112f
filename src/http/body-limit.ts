import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';

/**
 * Caps every body, whatever its content type (a webhook labelled `text/csv` is held to the JSON
 * limit too), but those of requests that `streams` names: a route that streams its body counts
 * its bytes itself, where Hono's bodyLimit would buffer a chunked body up to its limit.
 */
export function jsonBodyLimit(
  maxBytes: number,
  streams: (c: Context) => boolean = () => false,
): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The request body exceeds ${maxBytes} bytes.`);
    },
  });
  return async (c, next) => {
    if (streams(c)) return next();
    // With a Content-Length the header decides, as Hono's bodyLimit would, but without touching
    // `c.req.raw.body`: that builds a full web Request and stream for every request (most of a
    // webhook request's CPU), where @hono/node-server otherwise reads the body directly.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxBytes)
        throw new AppError('payload_too_large', `The request body exceeds ${maxBytes} bytes.`);
      return next();
    }
    return limit(c, next);
  };
}
