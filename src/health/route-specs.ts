import { createRoute, z } from '@hono/zod-openapi';
import { problems } from '../http/openapi';

const Health = z.object({ status: z.string() }).openapi('Health');

export const healthzSpec = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'checkLiveness',
  tags: ['service'],
  summary: 'The process is alive',
  security: [],
  responses: { 200: { description: 'alive', content: { 'application/json': { schema: Health } } } },
});

export const readyzSpec = createRoute({
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

/** The scrape as this process serves it: open, or under METRICS_TOKEN (its own scheme). */
export const metricsSpec = (withToken: boolean) =>
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
