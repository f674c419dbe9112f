// The audit trail (docs/design.md, rule 30): one event for each write of /v1 that succeeded, by
// whoever made it, with a target and a tiny detail; none for a refusal or a read; GET /v1/audit
// to read it; and the housekeeping that keeps it within AUDIT_RETENTION_DAYS.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/access/actor';
import { createApp } from '../src/app';
import { auditedRoutes } from '../src/audit/audited-routes';
import { deleteOldAuditEvents } from '../src/audit/delete-old-events';
import { auditEvents, loginFailures, sessions } from '../src/db/schema';
import { createMetrics } from '../src/metrics';
import { deleteEndedSessions } from '../src/users/sessions';
import { deleteOldLoginFailures } from '../src/users/sign-in';
import { api, campaignSetup, createCampaign, type Json } from './helpers/api';
import { useTestService } from './helpers/service';
import { createTestUser, sessionOf, type TestUser, userWithToken } from './helpers/users';

// API only: a started campaign sends nothing.
const t = useTestService({ env: { ROLE: 'api' } });

let marketer: TestUser & { as: { token: string } };
beforeAll(async () => {
  const made = await userWithToken(t, 'marketer');
  marketer = { ...made, as: made.as as { token: string } };
});

type Event = {
  id: string;
  at: string;
  actor: Json;
  action: string;
  target: { type: string; id: string | null };
  detail: Json;
};

/** The whole trail, newest first, as an admin reads it. */
async function trail(query = ''): Promise<Event[]> {
  const response = await api(t).get(`/v1/audit?limit=1000${query}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data as Event[];
}

/** What `work` added to the trail, oldest first. */
async function recorded(work: () => Promise<unknown>): Promise<Event[]> {
  const [newest] = await trail();
  await work();
  const all = await trail();
  const index = newest ? all.findIndex((e) => e.id === newest.id) : all.length;
  return all.slice(0, index).reverse();
}

describe('the table of audited routes', () => {
  it('has an entry for every write route of the OpenAPI document, and none for another', async () => {
    const doc = (await api(t).get('/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const writes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations)
          .map((method) => method.toUpperCase())
          .filter((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
          .map((method) => `${method} ${path}`),
      );
    expect(writes.length).toBeGreaterThanOrEqual(21);
    expect(auditedRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(writes.sort());
    for (const route of auditedRoutes) {
      expect(route.action, route.path).toMatch(/^[a-z_]+\.[a-z_]+$/);
      if (route.id && 'param' in route.id) expect(route.path).toContain(`{${route.id.param}}`);
    }
    const actions = auditedRoutes.map((r) => r.action);
    expect(actions.filter((a, i) => actions.indexOf(a) !== i)).toEqual([]);
  });
});

describe('events', () => {
  it('name the token and its user of a campaign started by a personal token', async () => {
    const { templateId, listId } = await campaignSetup(t, 1);
    const campaign = await createCampaign(t, { templateId, listIds: [listId] });
    const [started] = await recorded(async () => {
      const response = await api(t, marketer.as).post(`/v1/campaigns/${campaign.id}/start`, {
        acceptSkips: true,
      });
      expect(response.status).toBe(200);
    });
    const [token] = (await api(t, marketer.as).get('/v1/tokens')).body.data as Json[];
    expect(started).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      actor: { kind: 'token', userId: marketer.id, tokenId: token?.id, email: marketer.email },
      action: 'campaign.start',
      target: { type: 'campaign', id: campaign.id },
      detail: { acceptSkips: true },
    });
    const retried = await recorded(() =>
      api(t, marketer.as).post(`/v1/campaigns/${campaign.id}/retry`, { statuses: ['unknown'] }),
    );
    expect(retried.map((e) => [e.action, e.detail])).toEqual([
      ['campaign.retry', { statuses: ['unknown'] }],
    ]);
    const byDefault = await recorded(() => api(t).post(`/v1/campaigns/${campaign.id}/retry`));
    expect(byDefault.map((e) => e.detail)).toEqual([{ statuses: ['failed', 'unknown'] }]);
  });

  it("name a created resource by the answer's id, a changed one by the path, and a change by its fields only", async () => {
    const events = await recorded(async () => {
      const list = await api(t).post('/v1/lists', { name: 'audited' });
      const upload = await t.request(`/v1/lists/${list.body.id}/imports`, {
        method: 'POST',
        body: 'phone\n+4915112347001\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(upload.status).toBe(202);
      const { templateId, listId } = await campaignSetup(t, 1);
      const campaign = await createCampaign(t, { templateId, listIds: [listId] });
      await api(t).patch(`/v1/campaigns/${campaign.id}`, { name: 'renamed', ratePerSecond: 2 });
      await api(t).post('/v1/opt-outs', { phone: '+4915112347002' });
      await t.request(`/v1/opt-outs/${encodeURIComponent('+4915112347002')}`, { method: 'DELETE' });
      await api(t).patch('/v1/profile', { description: 'We sell tea' });
      await api(t).delete(`/v1/lists/${list.body.id}`);
    });
    const shown = events.map((e) => [e.action, e.target.type, e.target.id, e.detail]);
    expect(shown).toEqual([
      ['list.create', 'list', expect.any(String), {}],
      ['import.start', 'import', expect.any(String), { listId: shown[0]?.[2] }],
      ['campaign.create', 'campaign', expect.any(String), {}],
      ['campaign.update', 'campaign', shown[2]?.[2], { fields: ['name', 'ratePerSecond'] }],
      ['opt_out.add', 'opt_out', '+4915112347002', {}],
      ['opt_out.remove', 'opt_out', '+4915112347002', {}],
      ['profile.update', 'profile', null, { fields: ['description'] }],
      ['list.delete', 'list', shown[0]?.[2], {}],
    ]);
    expect(events.every((e) => e.actor.kind === 'machine' && !('userId' in e.actor))).toBe(true);
  });

  it('never hold a password or a token', async () => {
    const user = await createTestUser(t, 'analyst');
    const session = await sessionOf(t, user);
    const password = 'the secret new password';
    let token = '';
    const events = await recorded(async () => {
      await api(t).patch(`/v1/users/${user.id}`, { name: 'Cy', password });
      const fresh = await sessionOf(t, { email: user.email, password });
      const created = await api(t, fresh).post('/v1/tokens', { name: 'mine' });
      token = String(created.body.token);
      await api(t, fresh).delete(`/v1/tokens/${created.body.id}`);
      await api(t).delete(`/v1/users/${user.id}`);
    });
    expect(events.map((e) => [e.action, e.actor.kind, e.target.id, e.detail])).toEqual([
      ['user.update', 'machine', user.id, { fields: ['name', 'password'] }],
      ['user.sign_in', 'user', user.id, {}],
      ['token.create', 'user', expect.any(String), {}],
      ['token.revoke', 'user', events[2]?.target.id, {}],
      ['user.delete', 'machine', user.id, {}],
    ]);
    const text = JSON.stringify(events);
    expect(text).not.toContain(password);
    expect(text).not.toContain(token.slice(4));
    expect(text).not.toContain(session.csrfToken);
  });

  it('are not recorded for a refused write or a read', async () => {
    const analyst = await userWithToken(t, 'analyst');
    const { templateId, listId } = await campaignSetup(t, 1);
    const campaign = await createCampaign(t, { templateId, listIds: [listId] });
    const events = await recorded(async () => {
      expect((await api(t, analyst.as).post('/v1/lists', { name: 'no' })).status).toBe(403);
      expect((await api(t).post('/v1/lists', { name: '' })).status).toBe(422);
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await api(t).patch(`/v1/campaigns/${unknown}`, { name: 'x' })).status).toBe(404);
      expect((await api(t).post(`/v1/campaigns/${campaign.id}/pause`)).status).toBe(409);
      expect((await api(t).post('/v1/tokens', { name: 'machine' })).status).toBe(409);
      expect((await api(t).get('/v1/lists')).status).toBe(200);
    });
    expect(events).toEqual([]);
  });

  it("of the console's in-process calls name its signed-in user", async () => {
    const user = await createTestUser(t, 'marketer');
    const { ctx } = t.service;
    const consoleApp = createApp({ ...ctx, metrics: createMetrics() });
    const consoleActor: Actor = {
      kind: 'user',
      role: 'marketer',
      user: { id: user.id, email: user.email, name: user.name, role: 'marketer' },
      session: { tokenHash: 'h', csrfToken: 'c' },
    };
    const events = await recorded(async () => {
      const response = await consoleApp.request(
        '/v1/lists',
        {
          method: 'POST',
          body: JSON.stringify({ name: 'from the console' }),
          headers: { 'content-type': 'application/json' },
        },
        { consoleActor },
      );
      expect(response.status).toBe(201);
    });
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['list.create', { kind: 'user', userId: user.id, email: user.email }],
    ]);
  });
});

describe('GET /v1/audit', () => {
  it('pages the trail newest first, and filters by action and time', async () => {
    for (let i = 0; i < 3; i++) await api(t).post('/v1/lists', { name: `paged ${i}` });
    const all = await trail();
    expect(all.length).toBeGreaterThanOrEqual(5);
    const times = all.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const paged: Event[] = [];
    let cursor: unknown = null;
    do {
      const page = await api(t).get(`/v1/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      paged.push(...(page.body.data as Event[]));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));

    const creates = await trail('&action=list.create');
    expect(creates.length).toBeGreaterThanOrEqual(3);
    expect(creates.map((e) => e.id)).toEqual(
      all.filter((e) => e.action === 'list.create').map((e) => e.id),
    );
    expect(await trail('&action=no.such_action')).toEqual([]);

    const middle = all[Math.floor(all.length / 2)]?.at ?? '';
    const from = await trail(`&from=${encodeURIComponent(middle)}`);
    expect(from.map((e) => e.id)).toEqual(
      all.filter((e) => Date.parse(e.at) >= Date.parse(middle)).map((e) => e.id),
    );
    const to = await trail(`&to=${encodeURIComponent(middle)}`);
    expect(to.map((e) => e.id)).toEqual(
      all.filter((e) => Date.parse(e.at) < Date.parse(middle)).map((e) => e.id),
    );
    const both = await trail(`&action=list.create&to=${encodeURIComponent(middle)}`);
    expect(both.every((e) => e.action === 'list.create' && e.at < middle)).toBe(true);
  });

  it('refuses a cursor it did not give out and a time that is not one', async () => {
    for (const query of ['cursor=bm9wZQ', 'from=yesterday', 'to=2026-13-01', 'limit=0']) {
      const response = await api(t).get(`/v1/audit?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.code).toBe('bad_request');
    }
  });
});

describe('housekeeping', () => {
  it('deletes audit events past AUDIT_RETENTION_DAYS, a batch at a time, and keeps the others', async () => {
    const { db } = t.service.ctx.database;
    const days = t.service.ctx.config.AUDIT_RETENTION_DAYS;
    const old = Array.from({ length: 5 }, (_, i) => ({
      actorKind: 'machine' as const,
      action: 'list.create',
      targetType: 'list',
      targetId: `old-${i}`,
      at: sql`now() - make_interval(days => ${days + 1})`,
    }));
    const kept = (await trail()).length;
    await db.insert(auditEvents).values(old);
    expect(await deleteOldAuditEvents(t.service.ctx, 2)).toBe(5);
    const left = await trail();
    expect(left.length).toBe(kept);
    expect(left.some((e) => e.target.id?.startsWith('old-'))).toBe(false);
  });

  it('deletes ended sessions and sign-in failures past the throttle, and keeps live ones', async () => {
    const { ctx } = t.service;
    const { db } = ctx.database;
    const user = await createTestUser(t, 'analyst');
    const live = await sessionOf(t, user);
    await db.insert(sessions).values([
      {
        tokenHash: 'expired',
        userId: user.id,
        csrfToken: 'c',
        expiresAt: new Date(Date.now() - 1000),
      },
      {
        tokenHash: 'idle',
        userId: user.id,
        csrfToken: 'c',
        expiresAt: new Date(Date.now() + 3_600_000),
        lastSeenAt: new Date(Date.now() - (ctx.config.SESSION_IDLE_MINUTES + 1) * 60_000),
      },
    ]);
    await db
      .insert(loginFailures)
      .values([
        { key: 'account:old@example.com', at: new Date(Date.now() - 11 * 60_000) },
        { key: 'account:recent@example.com' },
      ]);
    await deleteEndedSessions(ctx);
    await deleteOldLoginFailures(ctx);
    const left = await db.select({ hash: sessions.tokenHash }).from(sessions);
    expect(left.map((s) => s.hash)).not.toContain('expired');
    expect(left.map((s) => s.hash)).not.toContain('idle');
    expect((await api(t, live).get('/v1/me')).status).toBe(200);
    const failures = await db.select({ key: loginFailures.key }).from(loginFailures);
    expect(failures.map((f) => f.key)).toEqual(['account:recent@example.com']);
  });
});
