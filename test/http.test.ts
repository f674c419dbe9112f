import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createRouter } from '../src/http/openapi';
import { captureLogger, TEST_API_TOKEN, useTestService } from './helpers/service';

const log = captureLogger('info');

const t = useTestService({ logger: log.logger });

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as Record<string, unknown>;
}

describe('authentication on /v1', () => {
  it('refuses a wrong token, another scheme and a token with extra characters', async () => {
    for (const authorization of [
      'Bearer wrong-token-wrong-token',
      `Basic ${TEST_API_TOKEN}`,
      `Bearer ${TEST_API_TOKEN}x`,
      'Bearer',
    ]) {
      const response = await t.request('/v1/lists', { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it('lets the right token through to the route', async () => {
    const response = await t.request('/v1/no-such-thing');
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('leaves the service endpoints open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']) {
      expect((await t.request(path, { auth: false })).status, path).toBe(200);
    }
  });
});

describe('problem documents', () => {
  // A probe router mounted on a real app exercises the shared validation and error handling.
  const probe = createRouter().openapi(
    {
      method: 'post',
      path: '/v1/probe',
      request: {
        query: z.object({ limit: z.coerce.number().int().max(1000).optional() }),
        body: {
          content: {
            'application/json': {
              schema: z.object({ name: z.string().min(1), rate: z.number().positive() }),
            },
          },
        },
      },
      responses: { 200: { description: 'ok' } },
    },
    (c) => {
      const body = c.req.valid('json');
      if (body.name === 'explode') throw new Error('password=hunter2 in the internals');
      return c.json({ ok: true }, 200);
    },
  );

  const app = () => {
    const instance = createApp(t.service.ctx);
    instance.route('/', probe);
    return instance;
  };
  const post = (body: string, query = '', headers: Record<string, string> = {}) =>
    app().request(`/v1/probe${query}`, {
      method: 'POST',
      body,
      headers: {
        authorization: `Bearer ${TEST_API_TOKEN}`,
        'content-type': 'application/json',
        ...headers,
      },
    });

  it('answers 422 with every path at fault for a body that breaks the schema', async () => {
    const response = await post(JSON.stringify({ name: '', rate: 'fast' }));
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.code).toBe('validation_failed');
    const paths = (problem.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['name', 'rate']);
  });

  it('answers 400 for malformed JSON and for a bad query parameter', async () => {
    const malformed = await post('{"name": ');
    expect(malformed.status).toBe(400);
    expect((await problemOf(malformed)).code).toBe('bad_request');

    const badQuery = await post(JSON.stringify({ name: 'a', rate: 1 }), '?limit=5000');
    expect(badQuery.status).toBe(400);
    const problem = await problemOf(badQuery);
    expect((problem.errors as { path: string }[])[0]?.path).toBe('query.limit');
  });

  it('answers 413 for a JSON body over the limit', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(t.config.MAX_JSON_BODY_BYTES), rate: 1 });
    const response = await t.request('/v1/lists', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect((await problemOf(response)).code).toBe('payload_too_large');
  });

  it('answers 500 without internals and logs the error with the request id', async () => {
    const response = await post(JSON.stringify({ name: 'explode', rate: 1 }));
    expect(response.status).toBe(500);
    const problem = await problemOf(response);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(problem.code).toBe('internal');
    const logged = log.lines().find((line) => line.msg === 'unhandled error');
    expect(logged?.requestId).toBe(problem.requestId);
  });
});

describe('request log', () => {
  it('writes one line per request with its id, and never the query string', async () => {
    const response = await t.request('/healthz?secret=do-not-log-me', { auth: false });
    const id = response.headers.get('x-request-id');
    expect(id).toBeTruthy();
    const lines = log.lines().filter((line) => line.requestId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    const all = JSON.stringify(log.lines());
    expect(all).not.toContain('do-not-log-me');
    expect(all).not.toContain(TEST_API_TOKEN);
  });
});
