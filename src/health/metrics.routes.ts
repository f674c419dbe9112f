import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { bearerAuth } from '../http/auth';
import { createRouter, problems } from '../http/openapi';

/** The scrape as this process serves it: open, or under METRICS_TOKEN (its own scheme). */
const metricsSpec = (withToken: boolean) =>
  createRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tags: ['service'],
    summary: 'Prometheus metrics',
    description:
      'Not under API_TOKEN. With METRICS_TOKEN set it needs `Authorization: Bearer <METRICS_TOKEN>`; with METRICS_PORT set it is served on that port only, and this one answers 404.',
    security: withToken ? [{ metricsToken: [] }] : [],
    responses: {
      200: {
        description: 'Prometheus text format',
        content: { 'text/plain': { schema: z.string() } },
      },
      ...problems(401),
    },
  });

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
