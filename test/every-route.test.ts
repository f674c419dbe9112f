// The answers every route owes whatever it does, checked on each operation of the OpenAPI
// document: a route added to the document is held to them without a test of its own.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, sendAndCheck } from './helpers/fuzz';
import { useTestService } from './helpers/service';

// API only: a body let through by mistake starts no sending.
const t = useTestService({ env: { ROLE: 'api' } });

type Operation = {
  security?: unknown[];
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
};
type Route = { method: string; path: string; operation: Operation };

/** Every operation behind the API token; the open ones (the probes, and the webhook, which
 * checks a secret of its own) are outside these rules. */
let routes: Route[] = [];
beforeAll(async () => {
  const response = await t.request('/openapi.json');
  const doc = (await response.json()) as { paths: Record<string, Record<string, Operation>> };
  routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => operation.security?.length !== 0)
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
});

const where = (route: Route) => `${route.method} ${route.path}`;

/** The route's path parameters, by the names the document gives them. */
const pathParameters = (route: Route) =>
  (route.operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);

/** A parameter that holds an id (`{id}`, `{listId}`, …) rather than a value such as a phone. */
const isId = (name: string) => name === 'id' || name.endsWith('Id');

/** The route's path with `values` in its parameters, every other one an id that does not exist. */
function pathOf(route: Route, values: Record<string, string> = {}): string {
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? randomUUID()),
  );
}

/** Ids that cannot exist: the wrong shape, too long, past every integer, not even text. */
const MALFORMED_IDS = [
  'nope',
  '1.5',
  '-1',
  '99999999999999999999',
  `${randomUUID()}x`,
  'x'.repeat(300),
  "' or '1'='1",
  'ünïcödé ☕',
];
/** Ids of the right shape that name nothing (uuids; message ids are numbers). */
const UNKNOWN_IDS = [randomUUID(), '999999999'];

/** A body each route takes as well-formed (an id that names nothing is all that is wrong). */
function acceptedBody(route: Route): RequestInit {
  const body = route.operation.requestBody;
  if (!body?.required) return {};
  const types = Object.keys(body.content);
  if (types.includes('application/json'))
    return { body: '{}', headers: { 'content-type': 'application/json' } };
  if (types.includes('text/csv'))
    return { body: 'phone\n+4917011111111\n', headers: { 'content-type': 'text/csv' } };
  throw new Error(`${where(route)}: no well-formed body for ${types.join(', ')}; add one here`);
}

async function problemOf(response: Response): Promise<Record<string, unknown> | string> {
  const text = await response.text();
  if (response.headers.get('content-type') !== 'application/problem+json')
    return `not a problem document: ${response.headers.get('content-type')} ${text.slice(0, 200)}`;
  return JSON.parse(text) as Record<string, unknown>;
}

describe('every route of the OpenAPI document', () => {
  it('is walked: the document lists the API routes, ids in their paths', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((route) => pathParameters(route).some(isId)).length).toBeGreaterThan(10);
  });

  it('answers 401 with a problem document without a token or with a wrong one', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      for (const authorization of [undefined, 'Bearer wrong-token-wrong-token']) {
        const response = await t.request(pathOf(route), {
          method: route.method,
          auth: false,
          headers: authorization ? { authorization } : {},
        });
        const problem = await problemOf(response);
        const answer = {
          status: response.status,
          challenge: response.headers.get('www-authenticate'),
          problem:
            typeof problem === 'string'
              ? problem
              : {
                  status: problem.status,
                  code: problem.code,
                  title: problem.title,
                  type: typeof problem.type,
                  detail: typeof problem.detail,
                },
        };
        const expected = {
          status: 401,
          challenge: 'Bearer',
          problem: {
            status: 401,
            code: 'unauthorized',
            title: 'Unauthorized',
            type: 'string',
            detail: 'string',
          },
        };
        if (JSON.stringify(answer) !== JSON.stringify(expected))
          wrong.push(`${where(route)} (${authorization ?? 'no token'}): ${JSON.stringify(answer)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a 404 problem for an unknown or a malformed id in each path parameter', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      for (const name of pathParameters(route).filter(isId)) {
        for (const id of [...UNKNOWN_IDS, ...MALFORMED_IDS]) {
          const path = pathOf(route, { [name]: id });
          const response = await t.request(path, { method: route.method, ...acceptedBody(route) });
          const problem = await problemOf(response);
          const code = typeof problem === 'string' ? problem : problem.code;
          if (response.status !== 404 || code !== 'not_found')
            wrong.push(`${route.method} ${path.slice(0, 100)}: ${response.status} ${code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a 4xx problem for a malformed value of every other path parameter (a phone)', async () => {
    const checked: string[] = [];
    for (const route of routes) {
      for (const name of pathParameters(route).filter((name) => !isId(name))) {
        for (const value of MALFORMED_IDS) {
          const path = pathOf(route, { [name]: value });
          const init = { method: route.method, ...acceptedBody(route) };
          const status = await expectNoServerError(await t.request(path, init), path);
          expect(status, `${route.method} ${path}`).toBeGreaterThanOrEqual(400);
          checked.push(where(route));
        }
      }
    }
    expect(checked.length).toBeGreaterThan(0);
  });

  it('refuses a JSON body of the wrong type with a 400 or 422 problem, and stores nothing', async () => {
    const jsonRoutes = routes.filter((r) => r.operation.requestBody?.content['application/json']);
    expect(jsonRoutes.length).toBeGreaterThan(5);
    const wrong: string[] = [];
    for (const route of jsonRoutes) {
      // Unknown ids in the path: the body is checked before the route looks anything up.
      const path = pathOf(route);
      for (const body of ['[]', '[{}]', '"text"', '42', 'true', 'null']) {
        const status = await sendAndCheck(t, path, {
          method: route.method,
          body,
          headers: { 'content-type': 'application/json' },
        });
        if (status !== 400 && status !== 422) wrong.push(`${where(route)} ${body}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
