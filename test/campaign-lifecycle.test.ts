import { beforeAll, describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign, type Json, runsOf } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService, waitFor } from './helpers/service';

let templateId: string;
let listId: string;
const t = useTestService();
beforeAll(async () => {
  ({ templateId, listId } = await campaignSetup(t, 3));
});

const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString();
const action = (id: unknown, verb: string) => api(t).post(`/v1/campaigns/${String(id)}/${verb}`);

/** A campaign brought to `status` through the API. */
async function campaignIn(status: string): Promise<Json> {
  const schedule = status === 'draft' ? undefined : { at: inOneDay() };
  const campaign = await createCampaign(t, { templateId, listIds: [listId], schedule });
  const steps: Record<string, string[]> = {
    draft: [],
    scheduled: [],
    running: ['start'],
    paused: ['start', 'pause'],
    cancelled: ['cancel'],
  };
  for (const verb of steps[status] ?? [])
    expect((await action(campaign.id, verb)).status).toBe(200);
  if (status === 'completed') {
    await t.service.ctx.database
      .sql`update campaigns set status = 'completed' where id = ${String(campaign.id)}`;
  }
  return campaign;
}

describe('lifecycle transitions', () => {
  const allowed: [string, string, string][] = [
    ['draft', 'start', 'running'],
    ['scheduled', 'start', 'running'],
    ['scheduled', 'pause', 'paused'],
    ['running', 'pause', 'paused'],
    ['paused', 'resume', 'running'],
    ['draft', 'cancel', 'cancelled'],
    ['scheduled', 'cancel', 'cancelled'],
    ['running', 'cancel', 'cancelled'],
    ['paused', 'cancel', 'cancelled'],
  ];
  const states = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'];
  const verbs = ['start', 'pause', 'resume', 'cancel'];

  it.each(allowed)('%s → %s → %s', async (from, verb, to) => {
    const campaign = await campaignIn(from);
    const response = await action(campaign.id, verb);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe(to);
  });

  it('answers 409 invalid_transition for every other state and verb, changing nothing', async () => {
    for (const from of states) {
      const campaign = await campaignIn(from);
      for (const verb of verbs) {
        if (allowed.some(([f, v]) => f === from && v === verb)) continue;
        const response = await action(campaign.id, verb);
        expect(response.status, `${from} ${verb}`).toBe(409);
        expect(response.body).toMatchObject({ status: 409, code: 'invalid_transition' });
        expect((await api(t).get(`/v1/campaigns/${campaign.id}`)).body.status).toBe(from);
      }
    }
  });

  it('allows PATCH only while draft, scheduled or paused', async () => {
    for (const from of states) {
      const campaign = await campaignIn(from);
      const response = await api(t).patch(`/v1/campaigns/${campaign.id}`, { name: 'renamed' });
      const editable = ['draft', 'scheduled', 'paused'].includes(from);
      expect(response.status, from).toBe(editable ? 200 : 409);
      if (editable) expect(response.body).toMatchObject({ name: 'renamed', status: from });
      else expect(response.body.code).toBe('invalid_transition');
    }
  });

  it('PATCH schedules a draft, unschedules a scheduled campaign and validates like create', async () => {
    const campaign = await campaignIn('draft');
    const at = inOneDay();
    const scheduled = await api(t).patch(`/v1/campaigns/${campaign.id}`, { schedule: { at } });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', nextRunAt: at });
    const unscheduled = await api(t).patch(`/v1/campaigns/${campaign.id}`, { schedule: null });
    expect(unscheduled.body).toMatchObject({ status: 'draft', nextRunAt: null, schedule: null });
    const bad = await api(t).patch(`/v1/campaigns/${campaign.id}`, {
      ratePerSecond: 0,
      listIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.status).toBe(422);
    const missing = await api(t).patch('/v1/campaigns/00000000-0000-4000-8000-000000000000', {
      name: 'x',
    });
    expect(missing.status).toBe(404);
  });

  it('lets exactly one of two racing starts, and of two racing pauses, win', async () => {
    for (let round = 0; round < 3; round++) {
      const campaign = await campaignIn('scheduled');
      const starts = await Promise.all([
        action(campaign.id, 'start'),
        action(campaign.id, 'start'),
      ]);
      expect(starts.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await runsOf(t, campaign.id)).toHaveLength(1);
      const pauses = await Promise.all([
        action(campaign.id, 'pause'),
        action(campaign.id, 'pause'),
      ]);
      expect(pauses.map((r) => r.status).sort()).toEqual([200, 409]);
      const mixed = await Promise.all([
        action(campaign.id, 'resume'),
        action(campaign.id, 'cancel'),
      ]);
      expect(mixed.map((r) => r.status)).toContain(200);
    }
  });

  it('mirrors pause, resume and cancel on the run, and skips unsent rows on cancel', async () => {
    const campaign = await campaignIn('running');
    const run = await waitFor(
      async () => {
        const [r] = await runsOf(t, campaign.id);
        return r && r.audience === 3 ? r : undefined;
      },
      { what: 'the snapshot' },
    );
    expect(run).toMatchObject({ status: 'running', finishedAt: null });
    await action(campaign.id, 'pause');
    expect((await runsOf(t, campaign.id))[0]?.status).toBe('paused');
    await action(campaign.id, 'resume');
    expect((await runsOf(t, campaign.id))[0]?.status).toBe('running');
    await action(campaign.id, 'cancel');
    const [cancelled] = await runsOf(t, campaign.id);
    expect(cancelled?.status).toBe('cancelled');
    expect(cancelled?.finishedAt).toBeTypeOf('string');
    const rows = await t.service.ctx.database.sql<{ status: string; error: string }[]>`
      select status, error from messages where run_id = ${String(run.id)}`;
    expect(rows).toHaveLength(3);
    // Between the resume and the cancel the dispatcher may send (the API's writes wait for their
    // audit line): what it sent stays sent, and every row it had not is skipped as cancelled.
    // (or have in flight: `sending`). None is left pending; the skipped ones say why.
    expect(rows.filter((row) => row.status === 'pending')).toEqual([]);
    const skipped = rows.filter((row) => row.status === 'skipped');
    expect(skipped).toEqual(skipped.map(() => ({ status: 'skipped', error: 'cancelled' })));
  });

  it('documents every campaign route in the OpenAPI document', async () => {
    const doc = (await api(t).get('/openapi.json')).body as { paths: Record<string, unknown> };
    for (const path of [
      '/v1/campaigns',
      '/v1/campaigns/{campaignId}',
      '/v1/campaigns/{campaignId}/runs',
      '/v1/campaigns/{campaignId}/preview',
      '/v1/campaigns/{campaignId}/start',
      '/v1/campaigns/{campaignId}/pause',
      '/v1/campaigns/{campaignId}/resume',
      '/v1/campaigns/{campaignId}/cancel',
      '/v1/templates',
      '/v1/templates/{templateId}',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});

describe('pausing a scheduled campaign', () => {
  const everyTwoSeconds = { cron: '*/2 * * * * *', timezone: 'UTC' };

  it('keeps its schedule, fires nothing while paused, and resumes with the next slot after now', async () => {
    const emptyList = await factories(t).list('nobody');
    const body = { templateId, listIds: [emptyList], schedule: everyTwoSeconds };
    const paused = await createCampaign(t, body);
    const pausing = await action(paused.id, 'pause');
    expect(pausing.status, JSON.stringify(pausing.body)).toBe(200);
    expect(pausing.body).toMatchObject({
      status: 'paused',
      schedule: everyTwoSeconds,
      pausedReason: 'paused by request',
    });
    // The same schedule, not paused: its runs show the scheduler ticking meanwhile.
    const control = await createCampaign(t, body);
    await waitFor(async () => (await runsOf(t, control.id)).length >= 2, {
      what: 'two runs of the campaign left scheduled',
    });
    await action(control.id, 'cancel');
    expect(await runsOf(t, paused.id)).toEqual([]);
    expect((await api(t).get(`/v1/campaigns/${paused.id}`)).body.status).toBe('paused');

    const resumedAt = Date.now();
    const resumed = await action(paused.id, 'resume');
    const answeredAt = Date.now();
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'scheduled', schedule: everyTwoSeconds });
    // the next slot after the moment the service resumed it, somewhere in the request
    const next = Date.parse(String(resumed.body.nextRunAt));
    expect(next).toBeGreaterThan(resumedAt);
    expect(next).toBeLessThanOrEqual(answeredAt + 2000);
    // the slots that passed while paused are not made up: its first run is the next slot
    const [first] = await waitFor(
      () => runsOf(t, paused.id).then((runs) => (runs.length > 0 ? runs : undefined)),
      { what: 'a run after the resume' },
    );
    await action(paused.id, 'cancel');
    expect(Date.parse(String(first?.scheduledFor))).toBe(next);
    expect((await runsOf(t, paused.id)).every((run) => run.status !== 'missed')).toBe(true);
  });

  it('resumes a one-off campaign before its slot, and refuses once the slot passed while paused', async () => {
    const later = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at: inOneDay() },
    });
    expect((await action(later.id, 'pause')).status).toBe(200);
    const back = await action(later.id, 'resume');
    expect(back.body).toMatchObject({ status: 'scheduled', nextRunAt: later.nextRunAt });

    const emptyList = await factories(t).list('nobody');
    // a slot the three requests below reach before it, on loaded cores too
    const soon = new Date(Date.now() + 4000).toISOString();
    const body = { templateId, listIds: [emptyList], schedule: { at: soon } };
    const missed = await createCampaign(t, body);
    expect((await action(missed.id, 'pause')).status).toBe(200);
    const control = await createCampaign(t, body);
    await waitFor(async () => (await runsOf(t, control.id)).length > 0, { what: 'the slot' });
    const refused = await action(missed.id, 'resume');
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_transition');
    expect(String(refused.body.detail)).toContain('passed while it was paused');
    expect(await runsOf(t, missed.id)).toEqual([]);
    // a new slot, then resume: scheduled again
    const at = inOneDay();
    expect(
      (await api(t).patch(`/v1/campaigns/${missed.id}`, { schedule: { at } })).body,
    ).toMatchObject({ status: 'paused', nextRunAt: at });
    expect((await action(missed.id, 'resume')).body).toMatchObject({
      status: 'scheduled',
      nextRunAt: at,
    });
  });

  it('resumes a campaign paused during a run to running, and it returns to scheduled after', async () => {
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { cron: '0 9 * * *', timezone: 'UTC' },
    });
    expect((await action(campaign.id, 'start')).status).toBe(200);
    expect((await action(campaign.id, 'pause')).status).toBe(200);
    expect((await runsOf(t, campaign.id))[0]?.status).toBe('paused');
    const resumed = await action(campaign.id, 'resume');
    expect(resumed.body.status).toBe('running');
    await waitFor(
      async () => (await api(t).get(`/v1/campaigns/${campaign.id}`)).body.status === 'scheduled',
      { what: 'the run to complete' },
    );
    expect((await runsOf(t, campaign.id))[0]?.status).toBe('completed');
  });
});
