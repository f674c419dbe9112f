import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import type { AppContext } from '../src/context';
import { openDatabase } from '../src/db/client';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { createTestDatabase } from './helpers/database';
import { startTestService, TEST_API_TOKEN, useTestService } from './helpers/service';

const t = useTestService();

describe('service endpoints', () => {
  it('/healthz says ok and /readyz says ready on a migrated database', async () => {
    expect(await (await t.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('/readyz answers 503 on a database that is not migrated, and on one that is gone', async () => {
    const empty = await createTestDatabase({ empty: true });
    const logger = createLogger('silent');
    const database = openDatabase(empty.url, logger);
    const ctx = { ...t.service.ctx, database, metrics: createMetrics() } satisfies AppContext;
    const app = createApp(ctx);
    try {
      const notMigrated = await app.request('/readyz');
      expect(notMigrated.status).toBe(503);
      expect(await notMigrated.json()).toEqual({ status: 'database not migrated' });
    } finally {
      await database.close();
      await empty.drop();
    }

    const gone = openDatabase('postgres://postgres@127.0.0.1:1/none', logger);
    const unreachable = await createApp({ ...ctx, database: gone }).request('/readyz');
    expect(unreachable.status).toBe(503);
    expect(await unreachable.json()).toEqual({ status: 'database unreachable' });
    await gone.close();
  });

  it('/metrics serves Prometheus text with the request histogram', async () => {
    await t.request('/healthz');
    const response = await t.request('/metrics');
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
  });

  it('/openapi.json is an OpenAPI 3.1 document with the bearer scheme', async () => {
    const doc = (await (await t.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { securitySchemes: Record<string, { scheme: string }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/metrics']),
    );
    expect(doc.components.securitySchemes.bearer?.scheme).toBe('bearer');
  });

  it('/docs serves the browser page and its assets locally', async () => {
    const page = await (await t.request('/docs')).text();
    expect(page).toContain('/docs/swagger-ui-bundle.js');
    for (const asset of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/init.js']) {
      const response = await t.request(asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(30);
    }
    expect(await (await t.request('/docs/init.js')).text()).toContain("url: '/openapi.json'");
  });
});

describe('/metrics kept from the public port', () => {
  const METRICS_TOKEN = 'test-metrics-token-0123456789';
  const scrape = (base: string, token?: string) =>
    fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('with METRICS_TOKEN needs that token: none, the API token or another one is a 401', async () => {
    const s = await startTestService({ env: { METRICS_TOKEN } });
    try {
      for (const token of [undefined, TEST_API_TOKEN, `${METRICS_TOKEN}x`]) {
        const refused = await scrape(s.baseUrl, token);
        expect(refused.status, String(token)).toBe(401);
        expect(refused.headers.get('www-authenticate')).toBe('Bearer');
        expect(await refused.json()).toMatchObject({ code: 'unauthorized' });
      }
      const allowed = await scrape(s.baseUrl, METRICS_TOKEN);
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('wa_campaign_messages{figure="audience"} 0');
      expect((await s.request('/readyz', { auth: false })).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('with METRICS_PORT serves it there alone, in every role, and the API port answers 404', async () => {
    const api = await startTestService({ env: { METRICS_PORT: '0', METRICS_TOKEN } });
    const worker = await startTestService({
      database: api.database,
      env: { METRICS_PORT: '0', ROLE: 'worker' },
    });
    try {
      expect((await scrape(api.baseUrl, METRICS_TOKEN)).status).toBe(404);
      const metricsBase = `http://127.0.0.1:${api.service.metricsPort}`;
      expect((await scrape(metricsBase)).status).toBe(401);
      const scraped = await scrape(metricsBase, METRICS_TOKEN);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('process_resident_memory_bytes');
      for (const path of ['/healthz', '/v1/lists', '/webhooks/chat-api'])
        expect((await fetch(`${metricsBase}${path}`)).status, path).toBe(404);

      // A worker has no API port; its own metrics (its sends) are scraped here.
      expect(worker.service.port).toBeUndefined();
      const fromWorker = await scrape(`http://127.0.0.1:${worker.service.metricsPort}`);
      expect(fromWorker.status).toBe(200);
      expect(await fromWorker.text()).toContain('wa_send_rate_per_second');
    } finally {
      await worker.stop();
      await api.stop();
    }
  });
});
