import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';

/**
 * The CSV upload route: not capped here (Hono's bodyLimit would buffer a chunked body up to its
 * limit); it streams the file and counts its bytes against MAX_UPLOAD_BYTES itself.
 */
const UPLOAD_ROUTE = /^\/v1\/lists\/[^/]+\/imports\/?$/;

/**
 * Caps every other body, whatever its content type: a webhook or an API call labelled
 * `text/csv` is held to the JSON limit too.
 */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The request body exceeds ${maxBytes} bytes.`);
    },
  });
  return async (c, next) => {
    if (c.req.method === 'POST' && UPLOAD_ROUTE.test(c.req.path)) return next();
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
