import type { AppContext } from '../context';
import { isMigrated } from '../db/migrate';
import { bearerAuth } from '../http/auth';
import { createRouter } from '../http/openapi';
import { healthzSpec, metricsSpec, readyzSpec } from './route-specs';

export function healthRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(healthzSpec, (c) => c.json({ status: 'ok' }, 200))
    .openapi(readyzSpec, async (c) => {
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

/** `/metrics`: this process's registry; answering costs no query (see stats/metrics.ts). */
export function metricsRoutes(ctx: AppContext) {
  const router = createRouter();
  const token = ctx.config.METRICS_TOKEN;
  const spec = metricsSpec(Boolean(token));
  if (token) {
    router.use(spec.path, bearerAuth(token, 'METRICS_TOKEN'));
    router.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', {
      type: 'http',
      scheme: 'bearer',
      description: 'METRICS_TOKEN',
    });
  }
  return router.openapi(spec, async (c) => {
    const text = await ctx.metrics.registry.metrics();
    return c.text(text, 200, { 'content-type': ctx.metrics.registry.contentType });
  });
}
