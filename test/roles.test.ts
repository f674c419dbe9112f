// Who may do what on /v1 (docs/design.md, rule 27), walked over the OpenAPI document so that a
// route added later is held to it: an analyst writes nothing, a marketer reaches no admin
// route, an analyst reads and exports everything else; sessions write only with their CSRF
// token; a disabled user's credentials stop.
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPermission } from '../src/access/permissions';
import { api, type Credentials, campaignSetup, createCampaign } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService } from './helpers/service';
import { createTestUser, sessionOf, type TestUser, userWithToken } from './helpers/users';

// API only: nothing a refused request might have started is sent.
const t = useTestService({ env: { ROLE: 'api' } });

type Route = { method: string; path: string };
let routes: Route[] = [];
let ids: Record<string, string> = {};
let analyst: TestUser & { as: Credentials };
let marketer: TestUser & { as: Credentials };

beforeAll(async () => {
  const doc = (await api(t).get('/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
    );
  const f = factories(t);
  const { templateId, listId } = await campaignSetup(t, 2);
  const campaign = await createCampaign(t, { templateId, listIds: [listId] });
  const contact = await f.contact({ first_name: 'Zoe' });
  const phone = '+4915112340000';
  await f.optOut(phone);
  const upload = await t.request(`/v1/lists/${listId}/imports`, {
    method: 'POST',
    body: 'phone\n+4915112340001\n',
    headers: { 'content-type': 'text/csv' },
  });
  const importId = String(((await upload.json()) as { id: string }).id);
  const senders = (await api(t).get('/v1/senders')).body.data as { id: string }[];
  analyst = await userWithToken(t, 'analyst');
  marketer = await userWithToken(t, 'marketer');
  ids = {
    listId,
    templateId,
    campaignId: String(campaign.id),
    contactId: contact.id,
    importId,
    phone,
    userId: marketer.id,
    senderId: senders[0]?.id ?? '',
  };
  // A token records its use at most once a minute: that first write is done before any snapshot.
  await api(t, analyst.as).get('/v1/me');
  await api(t, marketer.as).get('/v1/me');
});

const where = (route: Route) => `${route.method} ${route.path}`;
/** A write by the permission table: POSTs that only read (the previews) are reads there. */
const isWrite = (route: Route) =>
  route.method !== 'GET' &&
  route.method !== 'HEAD' &&
  apiPermission(route.method, route.path.replace(/\{[^}]+\}/g, 'x')) !== 'read';
const isOwn = (route: Route) => /^\/v1\/(me|tokens)(\/|$)/.test(route.path);
const isAdminOnly = (route: Route) =>
  /^\/v1\/(users|audit)(\/|$)/.test(route.path) ||
  (/^\/v1\/senders(\/\{senderId\})?$/.test(route.path) && route.method !== 'GET') ||
  where(route) === 'DELETE /v1/opt-outs/{phone}' ||
  where(route) === 'PATCH /v1/profile';

function pathOf(route: Route): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(ids[name] ?? '00000000-0000-4000-8000-000000000000'),
  );
}

/** The route called as `as`, with a body it would take when it takes one. */
function call(route: Route, as?: Credentials, accept?: string) {
  const headers: Record<string, string> = accept ? { accept } : {};
  if (as && 'token' in as) headers.authorization = `Bearer ${as.token}`;
  const csv = route.path.endsWith('/imports');
  if (isWrite(route)) headers['content-type'] = csv ? 'text/csv' : 'application/json';
  return t.request(pathOf(route), {
    method: route.method,
    auth: as === undefined,
    headers,
    ...(isWrite(route) ? { body: csv ? 'phone\n+4915112340002\n' : '{}' } : {}),
  });
}

/** A digest of every table a request could change. */
async function stored(): Promise<Record<string, string>> {
  const tables = [
    'lists',
    'list_members',
    'contacts',
    'templates',
    'campaigns',
    'runs',
    'messages',
    'opt_outs',
    'imports',
    'users',
    'api_tokens',
    'sessions',
    'audit_events',
    'senders',
  ];
  const { sql } = t.service.ctx.database;
  const entries = await Promise.all(
    tables.map(async (table) => {
      const [row] = await sql.unsafe<{ digest: string | null }[]>(
        `select md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as digest from ${table} x`,
      );
      return [table, row?.digest ?? ''] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function expectForbidden(response: Response, route: Route, wrong: string[]) {
  const body = (await response.json()) as { code?: string };
  if (response.status !== 403 || body.code !== 'forbidden')
    wrong.push(`${where(route)}: ${response.status} ${body.code}`);
}

describe('an analyst', () => {
  it('is refused every write with 403 forbidden, and nothing changes', async () => {
    const writes = routes.filter((r) => isWrite(r) && !isOwn(r));
    expect(writes.length).toBeGreaterThanOrEqual(19);
    const before = await stored();
    const wrong: string[] = [];
    for (const route of writes) await expectForbidden(await call(route, analyst.as), route, wrong);
    expect(wrong).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('reads every route a machine token reads, exports included, but no admin route', async () => {
    const reads = routes.filter((r) => !isWrite(r));
    const differ: string[] = [];
    let ok = 0;
    for (const route of reads.filter((r) => !isAdminOnly(r))) {
      const [mine, machine] = [(await call(route, analyst.as)).status, (await call(route)).status];
      if (mine !== machine || mine === 401 || mine === 403)
        differ.push(`${where(route)}: ${mine}, machine ${machine}`);
      if (mine === 200) ok++;
    }
    expect(differ).toEqual([]);
    expect(ok).toBeGreaterThanOrEqual(15);
    const exportRoute = { method: 'GET', path: '/v1/campaigns/{campaignId}/messages' };
    const exported = await call(exportRoute, analyst.as, 'text/csv');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    const wrong: string[] = [];
    for (const route of reads.filter(isAdminOnly))
      await expectForbidden(await call(route, analyst.as), route, wrong);
    expect(wrong).toEqual([]);
  });

  it('manages their own tokens', async () => {
    const created = await api(t, analyst.as).post('/v1/tokens', { name: 'analyst script' });
    expect(created.status).toBe(201);
    expect((await api(t, analyst.as).delete(`/v1/tokens/${created.body.id}`)).status).toBe(204);
  });
});

describe('a marketer', () => {
  it('is refused every admin route with 403 forbidden, and nothing changes', async () => {
    const adminRoutes = routes.filter(isAdminOnly);
    // users (5), the audit trail, opting a phone back in, the business profile, changing senders
    expect(adminRoutes.map(where).sort()).toEqual(
      [
        'GET /v1/users',
        'POST /v1/users',
        'GET /v1/users/{userId}',
        'PATCH /v1/users/{userId}',
        'DELETE /v1/users/{userId}',
        'GET /v1/audit',
        'DELETE /v1/opt-outs/{phone}',
        'PATCH /v1/profile',
        'POST /v1/senders',
        'PATCH /v1/senders/{senderId}',
        'DELETE /v1/senders/{senderId}',
      ].sort(),
    );
    const before = await stored();
    const wrong: string[] = [];
    for (const route of adminRoutes)
      await expectForbidden(await call(route, marketer.as), route, wrong);
    expect(wrong).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('writes everything else', async () => {
    expect((await api(t, marketer.as).post('/v1/lists', { name: 'by a marketer' })).status).toBe(
      201,
    );
    expect(
      (await api(t, marketer.as).post('/v1/opt-outs', { phone: '+4915112340009' })).status,
    ).toBe(201);
  });
});

describe('a console session', () => {
  it('writes only with its X-CSRF-Token; reads without it', async () => {
    const user = await createTestUser(t, 'marketer');
    const { cookie, csrfToken } = await sessionOf(t, user);
    const before = await stored();
    for (const as of [{ cookie }, { cookie, csrfToken: 'not-the-csrf-token' }]) {
      const refused = await api(t, as).post('/v1/lists', { name: 'from a form' });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({
        code: 'forbidden',
        detail: expect.stringMatching(/X-CSRF-Token/),
      });
    }
    expect(await stored()).toEqual(before);
    expect((await api(t, { cookie }).get('/v1/lists')).status).toBe(200);
    const created = await api(t, { cookie, csrfToken }).post('/v1/lists', { name: 'from a form' });
    expect(created.status).toBe(201);
  });
});

describe('a disabled user', () => {
  it('is refused with 401 by token and by session, at the next request', async () => {
    const user = await userWithToken(t, 'marketer');
    const session = await sessionOf(t, user);
    expect((await api(t, user.as).get('/v1/lists')).status).toBe(200);
    expect((await api(t, session).get('/v1/lists')).status).toBe(200);
    expect((await api(t).patch(`/v1/users/${user.id}`, { disabled: true })).status).toBe(200);
    for (const as of [user.as, session]) {
      const response = await api(t, as).get('/v1/lists');
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('unauthorized');
    }
  });
});
