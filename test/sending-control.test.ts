import { describe, expect, it } from 'vitest';
import {
  api,
  campaignSetup,
  createCampaign,
  type Json,
  startCampaign,
  waitCompleted,
} from './helpers/api';
import { factories } from './helpers/factories';
import { sweepNow } from './helpers/recovery';
import { type TestService, useServicePerTest, waitFor } from './helpers/service';
import { deliver, followUpsOf, inbound, messageById, sentTemplate } from './helpers/webhooks';

const startService = useServicePerTest();

const campaignStatus = async (t: TestService, id: string) =>
  (await api(t).get(`/v1/campaigns/${id}`)).body;
const counts = async (t: TestService, id: string) => {
  const rows = await t.service.ctx.database.sql<{ status: string; count: number }[]>`
    select status, count(*)::int as count from messages where campaign_id = ${id} group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.count])) as Record<string, number>;
};

describe('operator control of a running dispatch', () => {
  it('pauses within a second, resumes where it stopped, and never sends twice', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '20' } });
    const id = await startCampaign(t, 60);
    await waitFor(() => t.provider.sends().length >= 10, { what: 'some sends' });
    expect((await api(t).post(`/v1/campaigns/${id}/pause`)).status).toBe(200);
    const pausedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const late = t.provider.sends().filter((s) => s.receivedAt > pausedAt + 1000);
    expect(late).toHaveLength(0);
    const sentWhilePaused = t.provider.sends().length;
    expect(sentWhilePaused).toBeLessThan(60);
    expect((await counts(t, id)).pending).toBe(60 - sentWhilePaused);

    expect((await api(t).post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await waitCompleted(t, id, 15_000);
    const phones = t.provider.sends().map((s) => (s.body as { phone: string }).phone);
    expect(phones).toHaveLength(60);
    expect(new Set(phones).size).toBe(60);
  }, 30_000);

  it('cancels mid-run: unsent rows are skipped with reason cancelled', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '20' } });
    const id = await startCampaign(t, 60);
    await waitFor(() => t.provider.sends().length >= 5, { what: 'some sends' });
    expect((await api(t).post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    // the sends in flight store their outcomes; then nothing is left to send or sending
    const result = await waitFor(
      async () => {
        const now = await counts(t, id);
        return now.sending || now.pending ? undefined : now;
      },
      { what: 'the sends in flight to end' },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.provider.sends()).toHaveLength(result.sent ?? 0);
    expect(result.skipped).toBe(60 - (result.sent ?? 0));
    expect(result.pending ?? 0).toBe(0);
    const [run] = (await api(t).get(`/v1/campaigns/${id}/runs`)).body.data as Json[];
    expect(run?.status).toBe('cancelled');
  }, 30_000);

  it('pauses itself when half of its attempts fail permanently', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200' } });
    t.provider.respondWith(() => ({
      status: 200,
      body: { sent: false, message: 'Template not approved' },
    }));
    const id = await startCampaign(t, 100);
    const paused = await waitFor(
      async () => {
        const campaign = await campaignStatus(t, id);
        return campaign.status === 'paused' ? campaign : undefined;
      },
      { what: 'the failure rail' },
    );
    expect(String(paused.pausedReason)).toMatch(/of the last \d+ attempts failed permanently/);
    expect(t.provider.sends().length).toBeLessThan(100);
  }, 30_000);

  it('holds its sender on a 401: the campaign waits, nothing is lost, and it goes on once the sender is fixed', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200' } });
    t.provider.respondWith(() => ({
      status: 401,
      body: { error: 'Wrong token. Please provide token as a GET parameter.' },
    }));
    const senderId = await t.service.ctx.senders.defaultId();
    const id = await startCampaign(t, 100);
    const held = await waitFor(
      async () => {
        const sender = (await api(t).get(`/v1/senders/${senderId}`)).body;
        return sender.status === 'auth_failed' ? sender : undefined;
      },
      { what: 'the sender to be held' },
    );
    expect(String(held.statusReason)).toContain('401');
    expect(String(held.statusReason)).toContain('CHAT_API_TOKEN');
    // the rows refused by the 401 were not taken: they wait, with their attempts intact
    const result = await waitFor(
      async () => {
        const now = await counts(t, id);
        return now.sending ? undefined : now;
      },
      { what: 'sends in flight to settle' },
    );
    expect(result).toEqual({ pending: 100 });
    expect((await campaignStatus(t, id)).status).toBe('running');
    const probes = t.provider.sends().length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(t.provider.sends()).toHaveLength(probes); // held: not one more call
    const [odd] = await t.service.ctx.database.sql<{ n: number }[]>`
      select count(*)::int as n from messages where campaign_id = ${id} and attempts <> 0`;
    expect(odd?.n).toBe(0);

    // the token fixed (for the default sender: its environment and a restart, or by hand)
    t.provider.respondWith(undefined);
    expect((await api(t).patch(`/v1/senders/${senderId}`, { status: 'active' })).status).toBe(200);
    await waitCompleted(t, id, 20_000);
    const phones = t.provider
      .sends()
      .filter((s) => s.status === 200)
      .map((s) => (s.body as { phone: string }).phone);
    expect(new Set(phones).size).toBe(100);
    expect(phones).toHaveLength(100);
  }, 40_000);

  it("holds a paused campaign's follow-ups until its resume", async () => {
    const t = await startService();
    const { campaign, run, contact } = await sentTemplate(t);
    const { sql } = t.service.ctx.database;
    // paused by hand or by a rail, with its template already sent
    await sql`update campaigns set status = 'paused' where id = ${campaign.id}`;
    await sql`update runs set status = 'paused' where id = ${run.id}`;
    await deliver(t, inbound(contact.phone));
    const [queued] = await followUpsOf(t, run.id);
    expect(queued?.status).toBe('pending');
    // what the next recovery sweep would do: the follow-up is held, and nothing sends it
    await sweepNow(t);
    expect(t.provider.sends('/message')).toHaveLength(0);
    expect((await messageById(t, Number(queued?.id))).status).toBe('pending');

    expect((await api(t).post(`/v1/campaigns/${campaign.id}/resume`)).status).toBe(200);
    await waitFor(() => t.provider.sends('/message').length === 1, { what: 'the follow-up' });
    expect(t.provider.sends('/message')[0]?.body).toMatchObject({ body: 'Thanks Ivan!' });
  }, 30_000);

  it('skips the waiting follow-ups of a cancelled campaign and queues none after', async () => {
    const t = await startService({ env: { ROLE: 'api' } }); // no dispatcher: the follow-up waits
    const first = await sentTemplate(t);
    const { sql } = t.service.ctx.database;
    // a recurring campaign between runs: its run completed, replies still come in
    await sql`update campaigns set status = 'scheduled', schedule_cron = '0 9 * * *',
      schedule_timezone = 'UTC', next_run_at = now() + interval '1 day' where id = ${first.campaign.id}`;
    await sql`update runs set status = 'completed', finished_at = now() where id = ${first.run.id}`;
    await deliver(t, inbound(first.contact.phone));
    const [waiting] = await followUpsOf(t, first.run.id);
    expect(waiting?.status).toBe('pending');

    expect((await api(t).post(`/v1/campaigns/${first.campaign.id}/cancel`)).status).toBe(200);
    expect(await messageById(t, Number(waiting?.id))).toMatchObject({
      status: 'skipped',
      error: 'cancelled',
    });
    // another recipient of the same run replies after the cancel
    const contact = await factories(t).contact({ first_name: 'Olga' });
    await sql`insert into messages (run_id, campaign_id, contact_id, phone, kind, status, provider_message_id, sent_at, attempts)
      values (${first.run.id}, ${first.campaign.id}, ${contact.id}, ${contact.phone}, 'template', 'sent', 'true_late', now(), 1)`;
    await deliver(t, inbound(contact.phone));
    expect(await followUpsOf(t, first.run.id)).toHaveLength(1);
  }, 30_000);

  it('holds the sender after a 401, also for a free-form message with no campaign', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '50' } });
    t.provider.respondWith(() => ({
      status: 401,
      body: { error: 'Wrong token. Please provide token as a GET parameter.' },
    }));
    const phone = '+79990001122';
    await deliver(t, inbound(phone)); // its window opens
    const queued = await api(t).post('/v1/messages', { phone, body: 'Your order ships today' });
    expect(queued.status).toBe(202);
    await waitFor(() => t.provider.sends('/message').length >= 1, { what: 'a probe' });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // it called 50 times a second until the window closed, 24 hours later
    expect(t.provider.sends('/message')).toHaveLength(1);
    const senderId = await t.service.ctx.senders.defaultId();
    expect((await api(t).get(`/v1/senders/${senderId}`)).body.status).toBe('auth_failed');
    expect(await messageById(t, Number(queued.body.id))).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
  }, 30_000);

  it('keeps a run on the template it was opened with when its paused campaign changes it', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '20' } });
    const id = await startCampaign(t, 40);
    await waitFor(() => t.provider.sends().length >= 5, { what: 'some sends' });
    expect((await api(t).post(`/v1/campaigns/${id}/pause`)).status).toBe(200);
    const [{ templateId: first } = {}] = await t.service.ctx.database.sql<{ templateId: string }[]>`
      select template_id as "templateId" from campaigns where id = ${id}`;
    const [{ id: next } = {}] = await t.service.ctx.database.sql<{ id: string }[]>`
      insert into templates (name, namespace, language_code, parameters)
      values ('winter', 'ns', 'en', '[]') returning id`;
    expect((await api(t).patch(`/v1/campaigns/${id}`, { templateId: next })).status).toBe(200);
    // the run still uses the first template: it cannot be deleted under it
    expect((await api(t).delete(`/v1/templates/${first}`)).status).toBe(409);
    expect((await api(t).post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await waitCompleted(t, id, 15_000);
    // rows rendered for the first template went out as it: the change counts from the next run
    const names = new Set(t.provider.sends().map((s) => (s.body as { template: string }).template));
    expect([...names]).toEqual(['promo']);
    expect(t.provider.sends()).toHaveLength(40);
  }, 30_000);

  it('refuses to start or schedule a draft whose list was deleted, and to resend onto a deleted template', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '100' } });
    const { templateId, listId } = await campaignSetup(t, 1);
    const draft = await createCampaign(t, { templateId, listIds: [listId] });
    expect((await api(t).delete(`/v1/lists/${listId}`)).status).toBe(204);
    const start = await api(t).post(`/v1/campaigns/${draft.id}/start`);
    expect(start.status).toBe(422);
    expect(start.body.errors).toEqual([{ path: 'listIds.0', message: 'no such list' }]);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    expect((await api(t).patch(`/v1/campaigns/${draft.id}`, { schedule: { at } })).status).toBe(
      422,
    );
    expect((await campaignStatus(t, String(draft.id))).status).toBe('draft');

    t.provider.respondWith(() => ({
      status: 200,
      body: { sent: false, message: 'Phone is not valid' },
    }));
    const id = await startCampaign(t, 2);
    await waitCompleted(t, id);
    const [{ templateId: used } = {}] = await t.service.ctx.database.sql<{ templateId: string }[]>`
      select template_id as "templateId" from campaigns where id = ${id}`;
    expect((await api(t).delete(`/v1/templates/${used}`)).status).toBe(204);
    const retried = await api(t).post(`/v1/campaigns/${id}/retry`, { statuses: ['failed'] });
    expect(retried.status).toBe(409);
    expect(await counts(t, id)).toEqual({ failed: 2 });
  }, 30_000);

  it('holds back recipients beyond the 24-hour messaging limit, and retries failures on request', async () => {
    const t = await startService({
      env: { SEND_RATE_PER_SECOND: '100', MESSAGING_LIMIT_24H: '6' },
    });
    const phones = new Set<string>();
    t.provider.respondWith((request) => {
      const phone = String((request.body as { phone: string }).phone);
      const first = !phones.has(phone);
      phones.add(phone);
      return first && phones.size === 1
        ? { status: 200, body: { sent: false, message: 'Phone is not valid' } }
        : undefined;
    });
    const id = await startCampaign(t, 40);
    // the refused one reached nobody: six recipients got the template, then sending waits
    await waitFor(async () => (await counts(t, id)).sent === 6, {
      what: 'six sends',
    });
    // While held, the run reserves no slots it cannot use (it took a quarter of a second of the
    // account's pace every half second, which follow-ups and other campaigns then waited for).
    // The grant in use when the limit was reached may still hold slots for a moment.
    await new Promise((resolve) => setTimeout(resolve, 600));
    let reservedMs = 0;
    for (let i = 0; i < 20; i++) {
      const [bucket] = await t.service.ctx.database.sql<{ ms: number }[]>`
        select extract(epoch from tat - clock_timestamp())::float8 * 1000 as ms
        from rate_buckets where key = 'account'`;
      reservedMs = Math.max(reservedMs, bucket?.ms ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(reservedMs).toBeLessThan(100);
    expect(await counts(t, id)).toEqual({ sent: 6, failed: 1, pending: 33 });
    expect((await campaignStatus(t, id)).status).toBe('running');

    const retried = await api(t).post(`/v1/campaigns/${id}/retry`, { statuses: ['failed'] });
    expect(retried.status).toBe(202);
    expect(retried.body.requeued).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await counts(t, id)).toEqual({ sent: 6, pending: 34 });
    expect((await api(t).post(`/v1/campaigns/${id}/retry`, { statuses: ['sent'] })).status).toBe(
      422,
    );
    // No body at all: both statuses, the documented default (docs/design.md, rule 13), never a 500
    const bare = await t.request(`/v1/campaigns/${id}/retry`, { method: 'POST' });
    expect(bare.status).toBe(202);
    expect(await bare.json()).toMatchObject({ requeued: 0 });
  }, 30_000);
});
