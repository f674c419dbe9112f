import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { campaignSetup, createCampaign } from './helpers/api';
import { createList } from './helpers/audience';
import { TEST_WEBHOOK_SECRET, useTestService } from './helpers/service';
import { inbound } from './helpers/webhooks';

const t = useTestService();

const webhookPath = `/webhooks/chat-api?secret=${TEST_WEBHOOK_SECRET}`;
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

/** A raw POST over real HTTP: the bytes as given, the headers as given. */
function post(path: string, body: Uint8Array | string, headers: Record<string, string>) {
  return t.request(path, { method: 'POST', body, headers, auth: !path.startsWith('/webhooks') });
}

/** The same bytes sent chunked, without a Content-Length (another path through the limits). */
function postChunked(path: string, body: Uint8Array, headers: Record<string, string>) {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body.subarray(0, 3));
      controller.enqueue(body.subarray(3));
      controller.close();
    },
  });
  return t.request(path, {
    method: 'POST',
    body: stream,
    headers,
    auth: !path.startsWith('/webhooks'),
    duplex: 'half',
  } as RequestInit);
}

/** What the refused requests could have written: lists, stored webhook bodies, imports. */
async function stored() {
  const [row] = await t.service.ctx.database.sql<Record<string, number>[]>`
    select (select count(*)::int from lists) as lists,
      (select count(*)::int from webhook_events) as events,
      (select count(*)::int from imports) as imports,
      (select count(*)::int from import_uploads) as chunks`;
  return row;
}

async function expectProblem(response: Response, status: number, detail: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(((await response.json()) as { detail: string }).detail).toMatch(detail);
}

const json = { 'content-type': 'application/json' };

describe('a JSON body that is not UTF-8', () => {
  it('is a 400 on the API and the webhook, with or without a Content-Length, and stores nothing', async () => {
    const before = await stored();
    const latin1 = bytes('{"name":"Caf', [0xe9], '"}'); // "Café" saved as Latin-1
    const cut = bytes('{"name":"Euro ', [0xe2, 0x82], '"}'); // a character cut short
    const [head, tail] = JSON.stringify(inbound('+4915100000070', { body: 'Yes#' })).split('#');
    const badHook = bytes(head ?? '', [0xff], tail ?? ''); // a reply holding a stray byte
    for (const [path, body] of [
      ['/v1/lists', latin1],
      ['/v1/lists', cut],
      [webhookPath, badHook],
    ] as const) {
      await expectProblem(await post(path, body, json), 400, /not valid UTF-8/);
      await expectProblem(await postChunked(path, body, json), 400, /not valid UTF-8/);
    }
    expect(await stored()).toEqual(before);
  });

  it('takes UTF-8 as it is, characters beyond ASCII included', async () => {
    const name = 'Zoë’s café ☕ 🎉';
    const created = await post('/v1/lists', bytes(JSON.stringify({ name })), json);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { name: string }).name).toBe(name);
    const chunked = await postChunked('/v1/lists', bytes(JSON.stringify({ name })), json);
    expect(((await chunked.json()) as { name: string }).name).toBe(name);
  });
});

describe('a body with a Content-Encoding', () => {
  it('is refused with 415 on the API, the webhook and the CSV upload, and stores nothing', async () => {
    const listId = await createList(t);
    const before = await stored();
    const csv = 'phone,name\n+4915100000071,Ann\n';
    const cases: [string, string, Record<string, string>][] = [
      ['/v1/lists', JSON.stringify({ name: 'compressed' }), json],
      [webhookPath, JSON.stringify(inbound('+4915100000072')), json],
      [`/v1/lists/${listId}/imports`, csv, { 'content-type': 'text/csv' }],
    ];
    for (const [path, text, headers] of cases) {
      // Plain bytes labelled gzip must not be parsed as if the label were not there, and real
      // gzip is not decoded either: either way a 415 that names the one encoding taken.
      for (const [encoding, body] of [
        ['gzip', gzipSync(text)],
        ['gzip', Buffer.from(text)],
        ['br', Buffer.from(text)],
        ['identity, gzip', Buffer.from(text)],
      ] as const) {
        const response = await post(path, body, { ...headers, 'content-encoding': encoding });
        expect(response.headers.get('accept-encoding'), `${path} ${encoding}`).toBe('identity');
        await expectProblem(response, 415, /Content-Encoding/);
      }
    }
    expect(await stored()).toEqual(before);
  });

  it('takes "identity", which is no encoding at all', async () => {
    const response = await post('/v1/lists', JSON.stringify({ name: 'plain' }), {
      ...json,
      'content-encoding': 'identity',
    });
    expect(response.status).toBe(201);
  });
});

/** Every operation that reads a JSON body, from the OpenAPI document, its ids made up. */
async function jsonOperations(): Promise<{ method: string; path: string }[]> {
  type Operation = { requestBody?: { content: Record<string, unknown> } };
  const doc = (await (await t.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const someId = '00000000-0000-4000-8000-000000000000';
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation.requestBody?.content['application/json'])
      .map(([method]) => ({
        method: method.toUpperCase(),
        path: path === '/webhooks/chat-api' ? webhookPath : path.replace(/\{[^}]+\}/g, someId),
      })),
  );
}

describe('a JSON route called with another content type', () => {
  it('is a 415 naming Content-Type: application/json on every JSON route and the webhook, and stores nothing', async () => {
    const operations = await jsonOperations();
    const before = await stored();
    const body = JSON.stringify({ name: 'typed wrong', ...inbound('+4915100000073') });
    const kinds: [string, Record<string, string>][] = [
      ['a form (curl -d)', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['text (fetch with a string)', { 'content-type': 'text/plain;charset=UTF-8' }],
      ['a multipart form', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['no content type at all', {}],
    ];
    for (const { method, path } of operations) {
      for (const [kind, headers] of kinds) {
        const response = await t.request(path, {
          method,
          body: Buffer.from(body),
          headers,
          auth: !path.startsWith('/webhooks'),
        });
        expect(response.status, `${method} ${path} with ${kind}`).toBe(415);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        const problem = (await response.json()) as { detail: string; code: string };
        expect(problem.code).toBe('unsupported_media_type');
        expect(problem.detail, `${method} ${path}`).toContain('Content-Type: application/json');
        expect(response.headers.get(`accept-${method.toLowerCase()}`)).toBe('application/json');
      }
    }
    expect(await stored()).toEqual(before);
    const routes = operations.map((o) => `${o.method} ${o.path.replace(/\?.*/, '')}`);
    expect(routes).toEqual(
      expect.arrayContaining(['POST /v1/lists', 'POST /v1/campaigns', 'POST /webhooks/chat-api']),
    );
  });

  it('takes any JSON label, with parameters or in capitals, and a POST without a body', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const created = await post('/v1/lists', JSON.stringify({ name: type }), {
        'content-type': type,
      });
      expect(created.status, type).toBe(201);
      const hook = await post(webhookPath, JSON.stringify(inbound('+4915100000074')), {
        'content-type': type,
      });
      expect(hook.status, type).toBe(200);
    }
    const { templateId, listId } = await campaignSetup(t);
    const campaign = await createCampaign(t, { templateId, listIds: [listId] });
    const started = await t.request(`/v1/campaigns/${campaign.id}/start`, { method: 'POST' });
    expect(started.status).toBe(200);
    // fetch and most clients label a POST JSON by default, and send no byte: that is no body too
    const paused = await post(`/v1/campaigns/${campaign.id}/pause`, '', {
      'content-type': 'application/json',
    });
    expect(paused.status).toBe(200);
    const resumed = await post(`/v1/campaigns/${campaign.id}/resume`, ' \n', {
      'content-type': 'application/json',
    });
    expect(resumed.status).toBe(200);
    // a route that needs a body answers its own 422 for an empty one, never "malformed JSON"
    const empty = await post('/v1/lists', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(422);
  });
});
