import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors';

/**
 * Refuses, with 415 and `Accept-Encoding: identity` (RFC 7694), any request that declares a
 * Content-Encoding other than identity: no route decodes gzip, br or deflate, and read as it is
 * the body would be parsed as if it were plain, and stored so. Refusing
 * keeps every body limit a limit on what is parsed, with no decompression bomb to bound.
 */
export function refuseEncodedBodies(): MiddlewareHandler {
  return async (c, next) => {
    const encoding = c.req.header('content-encoding');
    if (encoding !== undefined && !onlyIdentity(encoding)) {
      c.header('Accept-Encoding', 'identity');
      throw new AppError(
        'unsupported_media_type',
        `Content-Encoding "${encoding}" is not accepted: send the body uncompressed.`,
      );
    }
    await next();
  };
}

const onlyIdentity = (header: string) =>
  header.split(',').every((coding) => ['', 'identity'].includes(coding.trim().toLowerCase()));

// The JSON media types the route validators parse (@hono/zod-openapi's own test, the stricter of
// the two it runs): a type that passed here but not there would be validated as `{}`.
const jsonType = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * Refuses (415) a body that is not labelled JSON: curl's `-d` labels it a form and fetch labels
 * a string `text/plain`; the webhook stored such a body, routes without one ignored it, and the
 * router's own 415 did not say what to send. Every body the API and the webhook read is JSON, so
 * the rule is one, for routes that take no body too; requests that `streams` names (the CSV
 * upload) keep their own. After the body limit, so that an oversized body is a 413 whatever its
 * label.
 */
export function requireJsonBody(streams: (c: Context) => boolean = () => false): MiddlewareHandler {
  return async (c, next) => {
    if (!hasBody(c) || streams(c)) return next();
    const type = c.req.header('content-type');
    if (type === undefined || !jsonType.test(type)) {
      // RFC 9110 §15.5.16: a 415 may say what the method takes.
      if (c.req.method === 'POST') c.header('Accept-Post', 'application/json');
      if (c.req.method === 'PATCH') c.header('Accept-Patch', 'application/json');
      const label = type === undefined ? 'no Content-Type' : `Content-Type "${type}"`;
      throw new AppError(
        'unsupported_media_type',
        `The body came with ${label}: send JSON with \`Content-Type: application/json\` (with curl, -d needs -H 'Content-Type: application/json').`,
      );
    }
    await next();
  };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request's body and refuses it (400) unless it is UTF-8, the only encoding of JSON
 * (RFC 8259): the platform's own decoding replaces each bad byte with U+FFFD, and the damaged
 * text would be stored without a word. The text is handed on as the request's text, which
 * `c.req.json()`, the validators and the webhook read, so it is decoded once. Requests that
 * `streams` names read their body themselves (the CSV upload checks its own UTF-8, as a 415).
 * After the body limit, which it relies on to bound what it reads.
 */
export function strictUtf8Body(streams: (c: Context) => boolean = () => false): MiddlewareHandler {
  return async (c, next) => {
    if (streams(c)) return next();
    let text = '';
    if (hasBody(c)) {
      try {
        text = decoder.decode(await c.req.arrayBuffer());
      } catch {
        throw new AppError('bad_request', 'The body is not valid UTF-8: send JSON as UTF-8 text.');
      }
    } else if (c.req.header('content-length') !== '0') {
      return next(); // no body, or one the headers do not announce (a request made in-process)
    }
    // An empty body labelled JSON (a client's default header on a POST that sends nothing, such
    // as start or retry) is no body, i.e. `{}`: the validators would call it malformed JSON.
    if (text.trim() === '') {
      const type = c.req.header('content-type');
      if (type === undefined || !jsonType.test(type)) return next();
      text = '{}';
    }
    // Hono caches each body read as a promise by its method's name (its type says methods): a
    // text read from the cached bytes would build a Response and decode again (~20 µs).
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    await next();
  };
}

/** Judged from the headers: touching `c.req.raw.body` would build a web stream for every request. */
function hasBody(c: Context): boolean {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return false;
  const length = c.req.header('content-length');
  return (
    c.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0')
  );
}
