import { beforeAll, describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign, type Json } from './helpers/api';
import { useTestService } from './helpers/service';

let templateId: string;
let listId: string;
const t = useTestService();
beforeAll(async () => {
  ({ templateId, listId } = await campaignSetup(t, 3));
});

const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString();
describe('creating and reading campaigns', () => {
  it('creates a draft without a schedule and a scheduled one with its nextRunAt', async () => {
    const draft = await createCampaign(t, { templateId, listIds: [listId] });
    expect(draft).toMatchObject({
      status: 'draft',
      templateId,
      listIds: [listId],
      schedule: null,
      ratePerSecond: null,
      followUp: null,
      nextRunAt: null,
      lastRunAt: null,
      pausedReason: null,
    });
    const at = inOneDay();
    const once = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at },
      ratePerSecond: 5,
      followUp: { body: 'Thanks {{first_name|}}!' },
    });
    expect(once).toMatchObject({ status: 'scheduled', schedule: { at }, nextRunAt: at });
    expect(once).toMatchObject({ ratePerSecond: 5, followUp: { body: 'Thanks {{first_name|}}!' } });
    const weekly = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { cron: '0 9 * * MON', timezone: 'Europe/Berlin' },
    });
    expect(weekly.schedule).toEqual({ cron: '0 9 * * MON', timezone: 'Europe/Berlin' });
    const next = new Date(String(weekly.nextRunAt));
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getUTCDay()).toBe(1);
    expect([7, 8]).toContain(next.getUTCHours()); // 9:00 in Berlin, CEST or CET
    expect((await api(t).get(`/v1/campaigns/${weekly.id}`)).body).toEqual(weekly);
  });

  it('lists newest first with a cursor', async () => {
    const ids: unknown[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await createCampaign(t, { templateId, listIds: [listId] })).id);
    const first = await api(t).get('/v1/campaigns?limit=2');
    expect((first.body.data as Json[]).map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const second = await api(t).get(`/v1/campaigns?limit=2&cursor=${first.body.nextCursor}`);
    expect((second.body.data as Json[])[0]?.id).toBe(ids[0]);
    expect((await api(t).get('/v1/campaigns?limit=1001')).status).toBe(400);
  });

  it('refuses invalid campaigns with 422 and the path of each fault', async () => {
    const paths = async (body: Json) => {
      const response = await api(t).post('/v1/campaigns', {
        name: 'x',
        templateId,
        listIds: [listId],
        ...body,
      });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      return (response.body.errors as { path: string }[]).map((e) => e.path);
    };
    const past = new Date(Date.now() - 1000).toISOString();
    expect(await paths({ schedule: { at: past } })).toEqual(['schedule.at']);
    expect(await paths({ schedule: { cron: 'every monday' } })).toEqual(['schedule.cron']);
    expect(await paths({ schedule: { cron: '0 0 30 2 *', timezone: 'UTC' } })).toEqual([
      'schedule.cron',
    ]);
    expect(await paths({ schedule: { cron: '0 9 * * 1', timezone: 'Europe/Atlantis' } })).toEqual([
      'schedule.timezone',
    ]);
    expect(await paths({ schedule: {} })).toEqual(['schedule']);
    expect(await paths({ ratePerSecond: 0 })).toEqual(['ratePerSecond']);
    expect(await paths({ ratePerSecond: -1 })).toEqual(['ratePerSecond']);
    expect(await paths({ listIds: [] })).toEqual(['listIds']);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await paths({ listIds: [listId, unknown] })).toEqual(['listIds.1']);
    expect(await paths({ templateId: unknown })).toEqual(['templateId']);
  });

  it('refuses a field it does not know, naming it, rather than saving without what was meant', async () => {
    const before = (await api(t).get('/v1/campaigns?limit=1000')).body.data as Json[];
    const created = await api(t).post('/v1/campaigns', {
      name: 'Typo',
      templateId,
      listIds: [listId],
      followUpBody: 'Thanks!',
    });
    expect(created.status).toBe(422);
    expect(created.body.detail).toContain('followUpBody');
    expect((await api(t).get('/v1/campaigns?limit=1000')).body.data).toHaveLength(before.length);
    const draft = await createCampaign(t, { templateId, listIds: [listId] });
    const changed = await api(t).patch(`/v1/campaigns/${String(draft.id)}`, { rate: 5 });
    expect(changed.status).toBe(422);
    expect(changed.body.detail).toContain('rate');
  });
});

describe("a campaign's time zone", () => {
  // Node's Intl reads each of these; PostgreSQL, which places the recipients, does not know the
  // first two, nor counts the rest as a place's zone (docs/decisions.md, "Which zone names count")
  it.each(['US/Pacific-New', 'Canada/East-Saskatchewan', 'SystemV/EST5', 'Factory'])(
    'refuses %s with a 422 naming schedule.timezone, on create and update',
    async (zone) => {
      const created = await api(t).post('/v1/campaigns', {
        name: 'x',
        templateId,
        listIds: [listId],
        schedule: { cron: '0 9 * * MON', timezone: zone },
      });
      expect(created.status).toBe(422);
      expect(created.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ path: 'schedule.timezone', message: expect.stringMatching(/IANA time zone/) }],
      });
      expect(String(created.body.detail)).toContain('schedule.timezone');
      const draft = await createCampaign(t, { templateId, listIds: [listId] });
      const nextYear = new Date().getUTCFullYear() + 1;
      const changed = await api(t).patch(`/v1/campaigns/${String(draft.id)}`, {
        schedule: { at: `${nextYear}-12-01T10:00`, localTime: true, timezone: zone },
      });
      expect(changed.status).toBe(422);
      expect(changed.body.errors).toEqual([
        { path: 'schedule.timezone', message: expect.any(String) },
      ]);
      expect((await api(t).get(`/v1/campaigns/${String(draft.id)}`)).body.schedule).toBeNull();
    },
  );

  it('stores a zone in the spelling PostgreSQL has, whatever its case', async () => {
    const weekly = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { cron: '0 9 * * MON', timezone: 'europe/paris' },
    });
    expect(weekly.schedule).toEqual({ cron: '0 9 * * MON', timezone: 'Europe/Paris' });
    const nextYear = new Date().getUTCFullYear() + 1;
    const patched = await api(t).patch(`/v1/campaigns/${String(weekly.id)}`, {
      schedule: { at: `${nextYear}-12-01T09:00`, timezone: 'AMERICA/NEW_YORK' },
    });
    expect(patched.status).toBe(200);
    // the API shows a one-off's instant; the zone is stored for the recipients of no known zone
    expect(patched.body.schedule).toEqual({ at: `${nextYear}-12-01T14:00:00.000Z` });
    const [stored] = await t.service.ctx.database.sql<{ zone: string }[]>`
      select schedule_timezone as zone from campaigns where id = ${String(weekly.id)}`;
    expect(stored?.zone).toBe('America/New_York');
    const firings = await api(t).get(
      '/v1/schedules/next?cron=0%209%20*%20*%20MON&timezone=europe%2Fparis&count=1',
    );
    expect(firings.body).toMatchObject({ timezone: 'Europe/Paris', errors: [] });
  });
});

describe('a one-off schedule as a local time', () => {
  const nextYear = new Date().getUTCFullYear() + 1;
  const post = (schedule: Json) =>
    api(t).post('/v1/campaigns', { name: 'local', templateId, listIds: [listId], schedule });

  it('reads `at` without an offset as a wall-clock time in `timezone`', async () => {
    const winter = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at: `${nextYear}-12-01T09:00:00`, timezone: 'Europe/Paris' },
    });
    expect(winter).toMatchObject({
      status: 'scheduled',
      schedule: { at: `${nextYear}-12-01T08:00:00.000Z` },
      nextRunAt: `${nextYear}-12-01T08:00:00.000Z`,
    });
    const summer = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at: `${nextYear}-07-01T09:30`, timezone: 'America/New_York' },
    });
    expect(summer.nextRunAt).toBe(`${nextYear}-07-01T13:30:00.000Z`);
    const patched = await api(t).patch(`/v1/campaigns/${summer.id}`, {
      schedule: { at: `${nextYear}-07-02T09:30:00`, timezone: 'Asia/Tokyo' },
    });
    expect(patched.body.nextRunAt).toBe(`${nextYear}-07-02T00:30:00.000Z`);
  });

  it('refuses a local time without a zone, and one the clocks skip, saying why', async () => {
    const bare = await post({ at: `${nextYear}-12-01T09:00:00` });
    expect(bare.status).toBe(422);
    expect(bare.body.errors).toEqual([{ path: 'schedule.at', message: expect.any(String) }]);
    expect(String(bare.body.detail)).toMatch(/no offset.*timezone/);
    // 02:30 on the last Sunday of March 2030 does not exist in Paris (02:00 becomes 03:00)
    const skipped = await post({ at: '2030-03-31T02:30:00', timezone: 'Europe/Paris' });
    expect(skipped.status).toBe(422);
    expect(String(skipped.body.detail)).toContain('does not exist in Europe/Paris');
    const badZone = await post({ at: `${nextYear}-12-01T09:00:00`, timezone: 'Europe/Atlantis' });
    expect(badZone.body.errors).toEqual([
      { path: 'schedule.timezone', message: expect.any(String) },
    ]);
    const both = await post({ at: `${nextYear}-12-01T09:00:00Z`, timezone: 'Europe/Paris' });
    expect(both.body.errors).toEqual([{ path: 'schedule.timezone', message: expect.any(String) }]);
    const past = await post({ at: '2020-12-01T09:00:00', timezone: 'Europe/Paris' });
    expect(past.body.errors).toEqual([{ path: 'schedule.at', message: 'must lie in the future' }]);
  });
});
