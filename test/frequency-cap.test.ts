// Frequency caps (docs/design.md, rule 35): at most `max` marketing templates to one phone in
// any rolling `days` days, across every campaign, checked as each message is claimed; a capped
// message is `skipped` with reason `frequency_cap`. The campaign's own setting through the API.
import { describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign, type Json, waitCompleted } from './helpers/api';
import { type TestService, useServicePerTest, waitFor } from './helpers/service';

const startService = useServicePerTest();

const start = async (t: TestService, id: unknown) =>
  expect((await api(t).post(`/v1/campaigns/${String(id)}/start`)).status).toBe(200);

/** Each campaign's messages by status, and the error of its skipped ones. */
async function outcomes(t: TestService, id: unknown) {
  return t.service.ctx.database.sql<{ status: string; error: string | null; n: number }[]>`
    select status::text, error, count(*)::int as n from messages
    where campaign_id = ${String(id)} group by 1, 2 order by 1, 2`;
}

/** How many templates the fake provider took for each phone. */
function sendsByPhone(t: TestService): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of t.provider.sends()) {
    const phone = String((request.body as { phone: string }).phone);
    counts.set(phone, (counts.get(phone) ?? 0) + 1);
  }
  return counts;
}

const capped = (max: number, days: number, categories = 'marketing') =>
  `frequency_cap: ${max} ${categories} template${max === 1 ? '' : 's'} in ${days} day${days === 1 ? '' : 's'} reached`;

describe('FREQUENCY_CAP', () => {
  it('lets two campaigns running at once send each phone its cap and no more', async () => {
    const t = await startService({ env: { FREQUENCY_CAP: '1/7d', SEND_RATE_PER_SECOND: '200' } });
    const { templateId, listId } = await campaignSetup(t, 40);
    const first = await createCampaign(t, { templateId, listIds: [listId] });
    const second = await createCampaign(t, { name: 'Winter sale', templateId, listIds: [listId] });
    await Promise.all([start(t, first.id), start(t, second.id)]);
    await waitCompleted(t, String(first.id));
    await waitCompleted(t, String(second.id));

    const perPhone = sendsByPhone(t);
    expect(perPhone.size).toBe(40);
    expect([...perPhone.values()].every((n) => n === 1)).toBe(true);
    const all = [...(await outcomes(t, first.id)), ...(await outcomes(t, second.id))];
    const total = (status: string) =>
      all.filter((o) => o.status === status).reduce((sum, o) => sum + o.n, 0);
    expect(total('sent')).toBe(40);
    expect(total('skipped')).toBe(40);
    expect(all.filter((o) => o.status === 'skipped').map((o) => o.error)).toEqual(
      all.filter((o) => o.status === 'skipped').map(() => capped(1, 7)),
    );
  }, 60_000);

  it('counts sends in the rolling window only, and exempts a utility template', async () => {
    const t = await startService({ env: { FREQUENCY_CAP: '1/7d', SEND_RATE_PER_SECOND: '200' } });
    const { templateId, listId } = await campaignSetup(t, 3);
    const { sql } = t.service.ctx.database;
    const first = await createCampaign(t, { templateId, listIds: [listId] });
    await start(t, first.id);
    await waitCompleted(t, String(first.id));
    // one phone's send was eight days ago: outside the seven days, it does not count
    const [old] = await sql<{ phone: string }[]>`
      update messages set sent_at = now() - interval '8 days'
      where id = (select min(id) from messages where campaign_id = ${String(first.id)})
      returning phone`;
    const again = await createCampaign(t, { name: 'Again', templateId, listIds: [listId] });
    await start(t, again.id);
    await waitCompleted(t, String(again.id));
    expect(await outcomes(t, again.id)).toEqual([
      { status: 'sent', error: null, n: 1 },
      { status: 'skipped', error: capped(1, 7), n: 2 },
    ]);
    expect(sendsByPhone(t).get(old?.phone.slice(1) ?? '')).toBe(2);

    // a utility template is not capped by the default
    const [utility] = await sql<{ id: string }[]>`
      insert into templates (name, namespace, language_code, parameters, category)
      values ('receipt', 'ns', 'en', '["{{first_name}}"]', 'utility') returning id`;
    const receipts = await createCampaign(t, {
      name: 'Receipts',
      templateId: utility?.id,
      listIds: [listId],
    });
    await start(t, receipts.id);
    await waitCompleted(t, String(receipts.id));
    expect(await outcomes(t, receipts.id)).toEqual([{ status: 'sent', error: null, n: 3 }]);
  }, 60_000);

  it("applies a campaign's own cap, or none, over the default", async () => {
    const t = await startService({ env: { FREQUENCY_CAP: '1/7d', SEND_RATE_PER_SECOND: '200' } });
    const { templateId, listId } = await campaignSetup(t, 2);
    const first = await createCampaign(t, { templateId, listIds: [listId] });
    await start(t, first.id);
    await waitCompleted(t, String(first.id));
    // no cap: both get a second one
    const uncapped = await createCampaign(t, {
      name: 'Uncapped',
      templateId,
      listIds: [listId],
      frequencyCap: null,
    });
    expect(uncapped.frequencyCap).toBeNull();
    await start(t, uncapped.id);
    await waitCompleted(t, String(uncapped.id));
    expect(await outcomes(t, uncapped.id)).toEqual([{ status: 'sent', error: null, n: 2 }]);
    // its own cap of 2 a day: two were sent today, the third waits for no one, it is skipped
    const own = await createCampaign(t, {
      name: 'Own',
      templateId,
      listIds: [listId],
      frequencyCap: { max: 2, days: 1 },
    });
    await start(t, own.id);
    await waitCompleted(t, String(own.id));
    expect(await outcomes(t, own.id)).toEqual([{ status: 'skipped', error: capped(2, 1), n: 2 }]);
  }, 60_000);

  it('counts, in one claim statement, a send committed after that statement began', async () => {
    // A claim takes a phone's lock, then counts its sends; the count must see a claim that held
    // the lock before and committed meanwhile, which the statement's own snapshot (taken before
    // its locks) does not: frequency_cap_count (migration 0023) counts in a snapshot of its own.
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200' } });
    const { templateId, listId } = await campaignSetup(t, 1);
    const { sql } = t.service.ctx.database;
    const first = await createCampaign(t, { templateId, listIds: [listId], frequencyCap: null });
    await start(t, first.id);
    await waitCompleted(t, String(first.id));
    const [row] = await sql<{ id: string; phone: string }[]>`
      update messages set status = 'pending', sent_at = null
      where campaign_id = ${String(first.id)} returning id::text, phone`;
    const phone = row?.phone ?? '';
    // The statement below waits for an advisory lock the test holds, as a claim waits for its
    // locks; meanwhile another connection records the phone's send; then the lock is let go.
    const LOCK = 0x7465_7374; // "test"
    const holder = await sql.reserve();
    await holder`begin`;
    await holder`select pg_advisory_xact_lock(${LOCK})`;
    const counting = sql<{ statementSnapshot: number; fresh: number }[]>`
      select (select count(*) from messages where phone = ${phone} and status = 'sent')::int
          as "statementSnapshot",
        frequency_cap_count(${phone}, 0, '{marketing}', 7)::int as fresh
      from (select pg_advisory_xact_lock(${LOCK}) offset 0) locked`.execute();
    await waitFor(
      async () =>
        (
          await sql`select 1 from pg_stat_activity
            where wait_event_type = 'Lock' and query like '%offset 0) locked%'`
        ).length > 0,
      { what: 'the counting statement to wait for the lock' },
    );
    await sql`update messages set status = 'sent', sent_at = now() where id = ${row?.id ?? ''}`;
    await holder`rollback`;
    holder.release();
    const [counts] = await counting;
    expect(counts).toEqual({ statementSnapshot: 0, fresh: 1 });
  }, 60_000);
});

describe("a campaign's frequencyCap", () => {
  it('is absent while it follows the default, its own cap or null once set, and "default" again', async () => {
    const t = await startService({ env: { ROLE: 'api' } });
    const { templateId, listId } = await campaignSetup(t, 1);
    const created = await createCampaign(t, { templateId, listIds: [listId] });
    expect(created).not.toHaveProperty('frequencyCap');
    const path = `/v1/campaigns/${String(created.id)}`;
    const set = await api(t).patch(path, { frequencyCap: { max: 3, days: 30 } });
    expect(set.status).toBe(200);
    expect(set.body.frequencyCap).toEqual({ max: 3, days: 30 });
    expect((await api(t).get(path)).body.frequencyCap).toEqual({ max: 3, days: 30 });
    // a change of something else keeps it
    expect((await api(t).patch(path, { name: 'Renamed' })).body.frequencyCap).toEqual({
      max: 3,
      days: 30,
    });
    expect((await api(t).patch(path, { frequencyCap: null })).body.frequencyCap).toBeNull();
    expect((await api(t).patch(path, { frequencyCap: 'default' })).body).not.toHaveProperty(
      'frequencyCap',
    );
  });

  it.each([
    [{ max: 0, days: 7 }, 'frequencyCap.max'],
    [{ max: 101, days: 7 }, 'frequencyCap.max'],
    [{ max: 2, days: 366 }, 'frequencyCap.days'],
    [{ max: 2 }, 'frequencyCap'],
    [{ max: 2.5, days: 7 }, 'frequencyCap'],
    [{ max: 2, days: 7, per: 'week' }, 'frequencyCap'],
    ['2/7d', 'frequencyCap'],
  ])('refuses %j with a 422 naming %s, and changes nothing', async (frequencyCap, path) => {
    const t = await startService({ env: { ROLE: 'api' } });
    const { templateId, listId } = await campaignSetup(t, 1);
    const refused = await api(t).post('/v1/campaigns', {
      name: 'Bad cap',
      templateId,
      listIds: [listId],
      frequencyCap,
    });
    expect(refused.status).toBe(422);
    const paths = (refused.body.errors as Json[]).map((e) => String(e.path));
    expect(paths.some((p) => p.startsWith(path))).toBe(true);
    expect((await api(t).get('/v1/campaigns')).body.data).toEqual([]);
  });
});
