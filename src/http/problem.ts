import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError, type ErrorCode, type FieldError, toProblem } from '../errors';
import type { Logger } from '../logger';

export function problemResponse(c: Context, error: AppError): Response {
  return c.body(
    JSON.stringify(toProblem(error, c.get('requestId'))),
    error.status as ContentfulStatusCode,
    {
      'content-type': 'application/problem+json',
      ...(error.retryAfterSeconds ? { 'retry-after': String(error.retryAfterSeconds) } : {}),
    },
  );
}

export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * Validation of a route's inputs. A body that parses but breaks the schema is 422; a query,
 * path or header that does is 400 (the request itself is malformed).
 */
export function validationError(error: ZodError, target: string): AppError {
  const errors = fieldErrors(error, target === 'json' || target === 'form' ? undefined : target);
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return target === 'json' || target === 'form'
    ? new AppError('validation_failed', detail, errors)
    : new AppError('bad_request', detail, errors);
}

const httpCodes: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
};

/**
 * Our AppError as it is, Hono's HTTP errors by status, text PostgreSQL cannot store a 422,
 * anything else a 500.
 */
export function handleError(error: Error, c: Context, logger: Logger): Response {
  if (error instanceof AppError) return problemResponse(c, error);
  if (error instanceof HTTPException && httpCodes[error.status]) {
    const code = httpCodes[error.status] as ErrorCode;
    return problemResponse(c, new AppError(code, error.message || code.replaceAll('_', ' ')));
  }
  if (unstorableText(error)) {
    return problemResponse(
      c,
      new AppError(
        'validation_failed',
        'A text holds a character PostgreSQL cannot store (U+0000, NUL); nothing was stored.',
      ),
    );
  }
  logger.error({ err: error, requestId: c.get('requestId'), path: c.req.path }, 'unhandled error');
  return problemResponse(
    c,
    new AppError('internal', 'The server failed to handle this request; the log has the details.'),
  );
}

/**
 * PostgreSQL refuses U+0000 in text (22021) and in jsonb (22P05), after zod let it through: bad
 * input, not a server fault: a 422, never a 500. The statement failed, so nothing of
 * the request was stored. drizzle wraps the driver's error in `cause`.
 */
function unstorableText(error: Error): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '22021' || code === '22P05') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
