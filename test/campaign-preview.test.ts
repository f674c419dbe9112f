import { beforeAll, describe, expect, it } from 'vitest';
import { api, createCampaign, type Json, runsOf } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService, waitFor } from './helpers/service';

let templateId: string;
let lists: string[];
const people: Record<string, { id: string; phone: string }> = {};

const t = useTestService({ env: { SEND_RATE_PER_SECOND: '10', MESSAGING_LIMIT_24H: '1000' } });
beforeAll(async () => {
  const f = factories(t);
  templateId = await f.template([
    '{{first_name}}',
    'Hi {{first_name}} from {{city}}',
    '{{plan|basic}}',
  ]);
  const [a, b] = [await f.list('a'), await f.list('b')];
  lists = [a, b];
  const contacts: [string, Record<string, string>, string[]][] = [
    ['anna', { first_name: 'Anna', city: 'Berlin', plan: 'gold' }, [a, b]],
    ['ben', { first_name: 'Ben' }, [a]], // no city
    ['rome', { city: 'Rome' }, [a]], // no first_name (nor city's fallback: first_name comes first)
    ['blank', { first_name: ' ', city: 'Paris' }, [b]], // a blank first_name is missing
    ['olga', { first_name: 'Olga', city: 'Oslo' }, [a]], // opted out
    ['cleo', { first_name: 'Cleo', city: 'Cork' }, [b]],
  ];
  for (const [name, attributes, memberOf] of contacts) {
    const contact = await f.contact(attributes);
    people[name] = contact;
    for (const listId of memberOf) await f.addToList(listId, contact.id);
  }
  await f.optOut(String(people.olga?.phone));
});

const preview = (id: unknown) => api(t).get(`/v1/campaigns/${String(id)}/preview`);
const action = (id: unknown, verb: string, body?: Json) =>
  api(t).post(`/v1/campaigns/${String(id)}/${verb}`, body);

describe('GET /v1/campaigns/{id}/preview', () => {
  it('merges the lists and counts duplicates, opt-outs and skips by attribute, with a sample', async () => {
    const campaign = await createCampaign(t, { templateId, listIds: lists, ratePerSecond: 50 });
    const before = Date.now();
    const response = await preview(campaign.id);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({
      audience: 5, // anna, ben, rome, blank, cleo: olga opted out
      eligible: 2,
      skipped: 3,
      skippedPercent: 60,
      acceptSkipsRequired: true,
      duplicates: 1, // anna is in both lists
      optedOut: 1,
      skippedByAttribute: { first_name: 2, city: 1 },
      pacePerSecond: 10, // the account's 10/s caps the campaign's 50/s
      messagingLimit: { limit: 1000, usedLast24h: 0, needed: 2 },
      estimatedCost: null, // no PRICE_CARD
    });
    const sample = [...(body.sample as Json[])].sort((x, y) =>
      String(x.phone).localeCompare(String(y.phone)),
    );
    const expected = [
      { ...people.anna, parameters: ['Anna', 'Hi Anna from Berlin', 'gold'] },
      { ...people.cleo, parameters: ['Cleo', 'Hi Cleo from Cork', 'basic'] },
    ].map(({ id, phone, parameters }) => ({ contactId: id, phone, parameters }));
    expect(sample).toEqual(expected.sort((x, y) => String(x.phone).localeCompare(String(y.phone))));
    // a draft would start now and send its 2 recipients at 10 a second
    const start = Date.parse(String(body.estimatedStart));
    expect(start).toBeGreaterThanOrEqual(before - 1000);
    expect(start).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(String(body.estimatedFinish)) - start).toBe(200);
    expect(body.warnings).toEqual([
      '2 contacts (40%) have no "first_name" and no fallback: they will be skipped',
      '1 contact (20%) has no "city" and no fallback: it will be skipped',
      "ratePerSecond 50 is above the sender's SEND_RATE_PER_SECOND (10): the run goes at 10 a second",
      expect.stringMatching(
        /^starting or scheduling needs \{"acceptSkips": true\}: 3 of 5 recipients \(60%\) would be skipped/,
      ),
    ]);
  });

  it('agrees with the snapshot the start then takes', async () => {
    const campaign = await createCampaign(t, { templateId, listIds: lists });
    const expected = (await preview(campaign.id)).body;
    expect((await action(campaign.id, 'start', { acceptSkips: true })).status).toBe(200);
    // The run is read once its snapshot is done (read before, its audience may be of a moment
    // before the snapshot's end: the race failed this test under load).
    const { sql } = t.service.ctx.database;
    await waitFor(
      async () => {
        const [done] = await sql<{ done: boolean }[]>`
          select snapshot_done_at is not null as done from runs where campaign_id = ${String(campaign.id)}`;
        return done?.done;
      },
      { what: 'the snapshot' },
    );
    const [run = {}] = await runsOf(t, campaign.id);
    expect(run.audience).toBe(expected.audience);
    const rows = await t.service.ctx.database.sql<{ error: string | null; count: number }[]>`
      select error, count(*)::int as count from messages
      where run_id = ${String(run.id)} and status = 'skipped' group by error`;
    const skipped = Object.fromEntries(
      rows.map((row) => [String(row.error).replace(/^missing attribute "(.*)"$/, '$1'), row.count]),
    );
    expect(skipped).toEqual(expected.skippedByAttribute);
    await action(campaign.id, 'cancel');
  });

  it('estimates a scheduled run from its slot, within the messaging limit', async () => {
    const f = factories(t);
    const big = await f.list('big');
    const { sql } = t.service.ctx.database;
    await sql`
      with c as (
        insert into contacts (phone, attributes)
        select '+4930' || lpad(g::text, 8, '0'),
          jsonb_build_object('first_name', 'N' || g, 'city', 'C')
        from generate_series(1, 1500) g
        returning id)
      insert into list_members (list_id, contact_id) select ${big}::uuid, id from c`;
    const at = new Date(Date.now() + 86_400_000);
    at.setUTCMilliseconds(0);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [big],
      schedule: { at: at.toISOString() },
      ratePerSecond: 5,
    });
    const body = (await preview(campaign.id)).body;
    expect(body).toMatchObject({ audience: 1500, eligible: 1500, skipped: 0, pacePerSecond: 5 });
    expect(body.estimatedStart).toBe(at.toISOString());
    const room = 1000 - Number((body.messagingLimit as Json).usedLast24h);
    // `room` at 5 a second now, the rest a day later when the rolling window lets them go
    const finish = at.getTime() + 86_400_000 + ((1500 - room) / 5) * 1000;
    expect(Date.parse(String(body.estimatedFinish))).toBe(finish);
    expect(body.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^MESSAGING_LIMIT_24H \\(1,000\\) leaves room for ${room.toLocaleString('en-US')} more .* this run needs 1,500: .* about 1 more day$`,
        ),
      ),
    ]);
    expect(body.acceptSkipsRequired).toBe(false);
  });

  it('answers 409 for a running campaign and 404 for an unknown one', async () => {
    const campaign = await createCampaign(t, { templateId, listIds: [String(lists[0])] });
    await action(campaign.id, 'start', { acceptSkips: true });
    const running = await preview(campaign.id);
    expect(running.status).toBe(409);
    expect(running.body.code).toBe('invalid_transition');
    await action(campaign.id, 'cancel');
  });
});

describe('launching a campaign that would skip over MAX_SKIPPED_PERCENT', () => {
  it('refuses to start without acceptSkips, naming the reason, and changes nothing', async () => {
    const campaign = await createCampaign(t, { templateId, listIds: lists });
    for (const body of [undefined, {}, { acceptSkips: false }]) {
      const refused = await action(campaign.id, 'start', body);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('too_many_skips');
      expect(String(refused.body.detail)).toContain('3 of 5 recipients (60%) would be skipped');
      expect(String(refused.body.detail)).toContain('have no "first_name" and no fallback');
      expect(String(refused.body.detail)).toContain('{"acceptSkips": true}');
    }
    expect((await api(t).get(`/v1/campaigns/${campaign.id}`)).body.status).toBe('draft');
    expect(await runsOf(t, campaign.id)).toEqual([]);
    expect((await action(campaign.id, 'start', { acceptSkips: 'yes' })).status).toBe(422);
    expect((await action(campaign.id, 'start', { acceptSkips: true })).body.status).toBe('running');
    await action(campaign.id, 'cancel');
  });

  it('starts without acceptSkips when at most 10% would be skipped', async () => {
    const f = factories(t);
    const list = await f.list('nine of ten');
    for (let i = 0; i < 10; i++) {
      const attributes: Record<string, string> = { first_name: `N${i}` };
      if (i > 0) attributes.city = 'Lyon'; // one in ten has no city: exactly 10%
      await f.addToList(list, (await f.contact(attributes)).id);
    }
    const campaign = await createCampaign(t, { templateId, listIds: [list] });
    expect((await preview(campaign.id)).body).toMatchObject({
      skippedPercent: 10,
      acceptSkipsRequired: false,
    });
    expect((await action(campaign.id, 'start')).status).toBe(200);
    await action(campaign.id, 'cancel');
  });

  it('checks a campaign when a person schedules it: create, PATCH and resume', async () => {
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const body = { name: 'later', templateId, listIds: lists, schedule: { at } };
    const refused = await api(t).post('/v1/campaigns', body);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('too_many_skips');
    const campaign = await createCampaign(t, { ...body, acceptSkips: true });
    expect(campaign.status).toBe('scheduled');
    // a new name changes neither whom nor when
    expect((await api(t).patch(`/v1/campaigns/${campaign.id}`, { name: 'renamed' })).status).toBe(
      200,
    );
    const moved = { schedule: { at: new Date(Date.now() + 2 * 86_400_000).toISOString() } };
    expect((await api(t).patch(`/v1/campaigns/${campaign.id}`, moved)).body.code).toBe(
      'too_many_skips',
    );
    expect(
      (await api(t).patch(`/v1/campaigns/${campaign.id}`, { ...moved, acceptSkips: true })).status,
    ).toBe(200);
    expect((await action(campaign.id, 'pause')).status).toBe(200);
    expect((await action(campaign.id, 'resume')).body.code).toBe('too_many_skips');
    expect((await action(campaign.id, 'resume', { acceptSkips: true })).body.status).toBe(
      'scheduled',
    );
  });
});
