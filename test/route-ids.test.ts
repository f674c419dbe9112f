// The ids in the API's paths: named as the API names them in the OpenAPI document, and answered
// with one 404 wording on every route, for an id that does not exist as for a malformed one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers/service';

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ env: { ROLE: 'api' } });
});
afterAll(() => t.stop());

type Operation = { parameters?: { name: string; in: string }[] };
type Document = { paths: Record<string, Record<string, Operation>> };

/** Each path parameter of the API, and what a 404 calls the thing it names. */
const resources: Record<string, string | null> = {
  listId: 'List',
  contactId: 'Contact',
  importId: 'Import',
  campaignId: 'Campaign',
  templateId: 'Template',
  messageId: 'Message',
  userId: 'User',
  tokenId: 'Token',
  senderId: 'Sender',
  phone: null,
};

async function operations() {
  const doc = (await (await t.request('/openapi.json')).json()) as Document;
  return Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      params: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
    })),
  );
}

/** A body each operation takes, so that its id is what the answer is about. */
function bodyOf(method: string, path: string): RequestInit {
  if (method === 'POST' && path.endsWith('/imports'))
    return { body: 'phone\n+4915100000001\n', headers: { 'content-type': 'text/csv' } };
  if (method === 'POST' || method === 'PATCH')
    return { body: '{}', headers: { 'content-type': 'application/json' } };
  return {};
}

describe('ids in paths', () => {
  it('carry the names the API uses in the OpenAPI document', async () => {
    const all = await operations();
    const named = all.flatMap((o) => o.params.map((name) => `${o.method} ${o.path} {${name}}`));
    expect(named.length).toBeGreaterThanOrEqual(20);
    const unknown = all.flatMap((o) =>
      o.params
        .filter((name) => !(name in resources))
        .map((name) => `${o.method} ${o.path} {${name}}`),
    );
    expect(unknown).toEqual([]);
    // the document's parameters are the ones its paths hold
    for (const o of all) {
      expect(o.params.sort(), o.path).toEqual(
        [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(),
      );
    }
  });

  it('answer `<Resource> <id> does not exist` for an unknown or a malformed id, on every route', async () => {
    const unknownUuid = '00000000-0000-4000-8000-000000000000';
    const unknownIds: Record<string, string> = { messageId: '9223372036854775807' };
    const checked: string[] = [];
    for (const { method, path, params } of await operations()) {
      const [name, ...more] = params;
      const resource = name === undefined ? undefined : resources[name];
      if (!name || !resource || more.length > 0) continue;
      for (const id of [unknownIds[name] ?? unknownUuid, 'not-an-id']) {
        const url = path.replace(`{${name}}`, id);
        const response = await t.request(url, { method, ...bodyOf(method, path) });
        const where = `${method} ${url}`;
        expect(response.status, where).toBe(404);
        const problem = (await response.json()) as { code: string; detail: string };
        expect(problem.code, where).toBe('not_found');
        expect(problem.detail, where).toBe(`${resource} ${id} does not exist`);
        checked.push(where);
      }
    }
    // every route with an id: campaigns (11 with stats and messages), templates, lists,
    // contacts, imports, messages
    expect(checked.length).toBeGreaterThanOrEqual(2 * 20);
  });
});
