import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';

/**
 * Caps JSON and form bodies. CSV uploads are not buffered here (Hono's bodyLimit would buffer a
 * chunked body up to its limit): the import route streams and counts bytes itself.
 */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large', `The request body exceeds ${maxBytes} bytes.`);
    },
  });
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('text/csv') || type.startsWith('multipart/form-data')) return next();
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
