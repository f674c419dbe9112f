import { beforeEach, describe, expect, it } from 'vitest';
import { writeOutcomes } from '../src/sending/queries';
import { api, campaignSetup, createCampaign, type Json, runsOf } from './helpers/api';
import type { FakeAnswer } from './helpers/fake-provider';
import { useTestService, waitFor } from './helpers/service';

// MIN_SCHEDULE_INTERVAL_MINUTES as an operator who never set it has it (60): the test helper
// turns it off for the other files, whose schedules fire every two seconds.
const DEFAULT_INTERVAL = { MIN_SCHEDULE_INTERVAL_MINUTES: '' };

const t = useTestService({ env: DEFAULT_INTERVAL });

const yearly = { cron: '0 0 1 1 *', timezone: 'UTC' };

/** Starts the campaign by hand and waits until its run is over (back to `scheduled`). */
async function runNow(id: string): Promise<string> {
  const before = (await runsOf(t, id)).length;
  expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
  return waitFor(
    async () => {
      const runs = await runsOf(t, id);
      const status = (await api(t).get(`/v1/campaigns/${id}`)).body.status;
      return runs.length > before && status === 'scheduled' ? String(runs[0]?.id) : undefined;
    },
    { what: `a run of campaign ${id} to end` },
  );
}

async function messagesOf(id: string, runId: string): Promise<Json[]> {
  const page = await api(t).get(`/v1/campaigns/${id}/messages?run=${runId}`);
  expect(page.status).toBe(200);
  return page.body.data as Json[];
}

describe('the minimum interval between two firings of a schedule', () => {
  it('refuses a cron pattern that fires more often than 60 minutes apart, seconds included', async () => {
    const { templateId, listId } = await campaignSetup(t);
    const draft = await createCampaign(t, { templateId, listIds: [listId] });
    // every second (the runaway of the issue), every two seconds, two minutes of each hour
    // (59 minutes after one, 1 minute after the other), every half hour, the 9th and 10th hours
    // at minutes 0 and 30 of a Monday
    for (const cron of [
      '* * * * * *',
      '*/2 * * * * *',
      '0,1 * * * *',
      '*/30 * * * *',
      '0,30 9,10 * * MON',
    ]) {
      for (const response of [
        await api(t).post('/v1/campaigns', {
          name: 'too often',
          templateId,
          listIds: [listId],
          schedule: { cron, timezone: 'Europe/Berlin' },
        }),
        await api(t).patch(`/v1/campaigns/${draft.id}`, { schedule: { cron } }),
      ]) {
        expect(response.status, cron).toBe(422);
        expect(response.body.code).toBe('validation_failed');
        expect(response.body.errors).toEqual([
          { path: 'schedule.cron', message: expect.any(String) },
        ]);
        expect(String(response.body.detail)).toMatch(/at least 60 minutes apart/);
        expect(String(response.body.detail)).toMatch(/MIN_SCHEDULE_INTERVAL_MINUTES/);
      }
    }
    expect((await api(t).get(`/v1/campaigns/${draft.id}`)).body.schedule).toBeNull();
    for (const cron of ['0 * * * *', '0 9 * * MON-FRI', '30 8,20 * * *']) {
      const response = await api(t).post('/v1/campaigns', {
        name: 'often enough',
        templateId,
        listIds: [listId],
        schedule: { cron },
      });
      expect(response.status, cron).toBe(201);
    }
  });

  it('never fires a stored pattern sooner than the interval after its last slot', async () => {
    // A campaign stored before the limit existed, due now and firing every second.
    const { templateId, listId } = await campaignSetup(t);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], schedule: yearly });
    await t.service.ctx.database.sql`
      update campaigns set schedule_cron = '* * * * * *', next_run_at = date_trunc('second', now())
      where id = ${String(campaign.id)}`;
    const [run] = await waitFor(() => runsOf(t, campaign.id).then((r) => (r[0] ? r : undefined)), {
      what: 'the first run',
    });
    const after = await waitFor(
      async () => {
        const body = (await api(t).get(`/v1/campaigns/${campaign.id}`)).body;
        return body.status === 'scheduled' ? body : undefined;
      },
      { what: 'the campaign to wait for its next slot' },
    );
    const gapMs = Date.parse(String(after.nextRunAt)) - Date.parse(String(run?.scheduledFor));
    expect(gapMs).toBe(60 * 60_000);
  });
});

describe('one send of a campaign to one phone per interval', () => {
  beforeEach(() => t.provider.reset());

  it('skips the recipients a second run started within the interval would reach again', async () => {
    const { templateId, listId } = await campaignSetup(t, 2);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], schedule: yearly });
    const id = String(campaign.id);
    const first = await runNow(id);
    expect((await messagesOf(id, first)).map((m) => m.status)).toEqual(['sent', 'sent']);
    const second = await runNow(id);
    const again = await messagesOf(id, second);
    expect(again).toHaveLength(2);
    for (const message of again) {
      expect(message.status).toBe('skipped');
      expect(message.error).toMatch(/sent less than 60 minutes ago/);
    }
    expect(t.provider.sends()).toHaveLength(2);
    expect(t.provider.duplicates()).toEqual([]);
  });

  it("sends a run whose slot is the interval after the last one's, however recent that one's sends", async () => {
    const { templateId, listId } = await campaignSetup(t, 2);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], schedule: yearly });
    const id = String(campaign.id);
    const first = await runNow(id);
    // As an hourly schedule's last run: its slot an hour back, its sends (just now) late in it.
    await t.service.ctx.database.sql`
      update runs set scheduled_for = now() - interval '60 minutes' where id = ${first}`;
    const second = await runNow(id);
    expect((await messagesOf(id, second)).map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(t.provider.sends()).toHaveLength(4);
  });

  it("does not let an operator's retry send again what another run sent within the interval", async () => {
    const { templateId, listId } = await campaignSetup(t, 1);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], schedule: yearly });
    const id = String(campaign.id);
    // The first run's send times out: `unknown`, the phone may or may not have it. So the
    // second run tries the phone; the provider refuses it this time.
    const answers: FakeAnswer[] = [
      { status: 200, delayMs: 1500, body: { sent: true, id: 'late' } },
      { status: 200, body: { sent: false, message: 'Phone is not valid' } },
    ];
    t.provider.respondWith((request) =>
      request.path === '/sendTemplate' ? answers.shift() : undefined,
    );
    const first = await runNow(id);
    const [unknown] = await messagesOf(id, first);
    expect(unknown?.status).toBe('unknown');
    const second = await runNow(id);
    expect((await messagesOf(id, second)).map((m) => m.status)).toEqual(['failed']);
    // Then the first send's real outcome arrives (a worker that looked dead reports it): sent.
    await writeOutcomes(t.service.ctx.database.sql, [
      {
        id: Number(unknown?.id),
        status: 'sent',
        providerMessageId: 'late',
        error: null,
        retryAt: null,
        refundAttempt: false,
      },
    ]);
    const retried = await api(t).post(`/v1/campaigns/${id}/retry`, { statuses: ['failed'] });
    expect(retried.body).toMatchObject({ requeued: 1, runId: second });
    const [skipped] = await waitFor(
      async () => {
        const rows = await messagesOf(id, second);
        return ['pending', 'sending'].includes(String(rows[0]?.status)) ? undefined : rows;
      },
      { what: 'the retried message to be closed' },
    );
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.error).toMatch(/sent less than 60 minutes ago/);
    expect(t.provider.sends()).toHaveLength(2);
  });
});
