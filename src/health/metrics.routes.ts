import { createRoute, z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { bearerAuth } from '../http/auth';
import { createRouter, problems } from '../http/openapi';

const metricsSpec = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['service'],
  summary: 'Prometheus metrics',
  description:
    'Not under API_TOKEN. With METRICS_TOKEN set it needs `Authorization: Bearer <METRICS_TOKEN>`; with METRICS_PORT set it is served on that port only, and this one answers 404.',
  security: [],
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
  if (token) router.use(metricsSpec.path, bearerAuth(token, 'METRICS_TOKEN'));
  return router.openapi(metricsSpec, async (c) => {
    const text = await ctx.metrics.registry.metrics();
    return c.text(text, 200, { 'content-type': ctx.metrics.registry.contentType });
  });
}
