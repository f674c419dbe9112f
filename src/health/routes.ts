import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { isMigrated } from '../db/migrate';
import { createRouter } from '../http/openapi';

const Health = z.object({ status: z.string() }).openapi('Health');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'checkLiveness',
  tags: ['service'],
  summary: 'The process is alive',
  security: [],
  responses: { 200: { description: 'alive', content: { 'application/json': { schema: Health } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'checkReadiness',
  tags: ['service'],
  summary: 'The database is reachable and migrated',
  security: [],
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: Health } } },
    503: { description: 'not ready', content: { 'application/json': { schema: Health } } },
  },
});

export function healthRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(healthz, (c) => c.json({ status: 'ok' }, 200))
    .openapi(readyz, async (c) => {
      try {
        // A database that does not answer within 2 s is as good as down for a load balancer.
        const migrated = await Promise.race([
          isMigrated(ctx.database.sql),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('timed out')), 2000).unref(),
          ),
        ]);
        if (migrated) return c.json({ status: 'ready' }, 200);
        return c.json({ status: 'database not migrated' }, 503);
      } catch (error) {
        ctx.logger.warn({ err: error }, 'readiness check failed');
        return c.json({ status: 'database unreachable' }, 503);
      }
    });
}
