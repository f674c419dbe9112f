import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/**
 * The provider's webhook calls come hundreds a second while a campaign sends: they are logged at
 * `debug`, and a line per minute at `info` sums them up (src/webhooks/webhook-summary.ts).
 */
const isWebhook = (path: string) => path.startsWith('/webhooks/');

/**
 * One log line per request (webhook requests at `debug`). Only the path is logged, never the query string: the webhook's
 * secret travels there.
 */
export function requestLog(logger: Logger, metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const route = routePath(c) || 'unmatched';
    metrics.httpRequestDuration
      .labels(c.req.method, route, String(c.res.status))
      .observe(ms / 1000);
    const level = c.res.status >= 500 ? 'error' : isWebhook(c.req.path) ? 'debug' : 'info';
    logger[level](
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(ms * 10) / 10,
      },
      'request',
    );
  };
}
