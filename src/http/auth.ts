import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors';

/** Compares digests, so that neither the content nor the length of the secret leaks in timing. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Requires `Authorization: Bearer <token>`; `name` is the variable that holds the token. */
export function bearerAuth(token: string, name = 'API_TOKEN'): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match?.[1] || !safeEqual(match[1], token)) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError(
        'unauthorized',
        `A valid "Authorization: Bearer <${name}>" header is required.`,
      );
    }
    await next();
  };
}
