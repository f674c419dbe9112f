import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createMetrics } from '../src/metrics';
import { useTestService } from './helpers/service';

const t = useTestService();

type Operation = {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, unknown>;
};
type Document = {
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
};

const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      where: `${method.toUpperCase()} ${path}`,
      ...operation,
    })),
  );

async function documentOf(app: { request(path: string): Response | Promise<Response> }) {
  const response = await app.request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

const probes = ['GET /healthz', 'GET /readyz', 'GET /metrics'];

describe('the OpenAPI document', () => {
  it('names every operation once and describes it and each of its query parameters', async () => {
    const operations = operationsOf(await documentOf({ request: (p) => t.request(p) }));
    const ids = operations.map((o) => o.operationId);
    expect(operations.filter((o) => !o.operationId).map((o) => o.where)).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(operations.filter((o) => !o.summary?.trim()).map((o) => o.where)).toEqual([]);
    const undescribed = operations.flatMap((o) =>
      (o.parameters ?? [])
        .filter((p) => p.in === 'query' && !p.description?.trim())
        .map((p) => `${o.where} ?${p.name}`),
    );
    expect(undescribed).toEqual([]);
  });

  it('names the service, opens the probes, types the webhook body, and lists 4xx answers', async () => {
    const doc = await documentOf({ request: (p) => t.request(p) });
    expect(doc.servers?.[0]?.description).toMatch(/broadcast scheduler/);
    const operations = operationsOf(doc);
    const open = operations.filter((o) => o.security?.length === 0).map((o) => o.where);
    expect(open.sort()).toEqual(
      [
        ...probes,
        'POST /webhooks/chat-api',
        'POST /webhooks/chat-api/{senderId}',
        'GET /webhooks/whatsapp',
        'POST /webhooks/whatsapp',
      ].sort(),
    );
    const webhook = operations.find((o) => o.where === 'POST /webhooks/chat-api');
    expect(webhook?.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/WebhookBody',
    });
    // redocly.yaml turns its rule off for the probes' sake: every other operation is held here.
    const without4xx = operations
      .filter((o) => !probes.slice(0, 2).includes(o.where))
      .filter((o) => !Object.keys(o.responses).some((status) => status.startsWith('4')))
      .map((o) => o.where);
    expect(without4xx).toEqual([]);
  });

  it('shows /metrics under its own token when METRICS_TOKEN is set', async () => {
    const { ctx } = t.service;
    const app = createApp({
      ...ctx,
      config: { ...ctx.config, METRICS_TOKEN: 'metrics-token-0123456789' },
      metrics: createMetrics(),
    });
    const doc = await documentOf(app);
    const metrics = operationsOf(doc).find((o) => o.where === 'GET /metrics');
    expect(metrics?.security).toEqual([{ metricsToken: [] }]);
    expect(doc.components.securitySchemes.metricsToken).toMatchObject({ scheme: 'bearer' });
    const scrape = await app.request('/metrics');
    expect(scrape.status).toBe(401);
  });
});
