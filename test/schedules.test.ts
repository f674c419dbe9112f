import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createCampaign, type Json, runsOf } from './helpers/api';
import { factories } from './helpers/factories';
import { captureLogger, startTestService, useTestService, waitFor } from './helpers/service';

let templateId: string;
let emptyList: string;
let skippedList: string;
const t = useTestService();
beforeAll(async () => {
  const f = factories(t);
  templateId = await f.template(['{{first_name}}']);
  emptyList = await f.list('empty');
  // one contact that renders to nothing: its run completes as soon as it is snapshotted
  skippedList = await f.list('skipped');
  await f.addToList(skippedList, (await f.contact({})).id);
});

const some = (runs: Json[]) => (runs.length > 0 ? runs : undefined);
const completedRuns = async (id: unknown) =>
  (await runsOf(t, id)).filter((run) => run.status === 'completed');

describe('schedules', () => {
  it('fires a one-off campaign within a second of schedule.at, then completes it', async () => {
    const at = new Date(Date.now() + 2000);
    at.setMilliseconds(0); // a slot on a whole second, as users write them
    if (at.getTime() - Date.now() < 1000) at.setSeconds(at.getSeconds() + 1);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [skippedList],
      schedule: { at: at.toISOString() },
      acceptSkips: true, // its one contact is skipped
    });
    const [run] = await waitFor(() => completedRuns(campaign.id).then(some), {
      what: 'the run',
    });
    expect(run?.scheduledFor).toBe(at.toISOString());
    const lateMs = new Date(String(run?.startedAt)).getTime() - at.getTime();
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(1000);
    expect(run?.audience).toBe(1);
    const after = (await api(t).get(`/v1/campaigns/${campaign.id}`)).body;
    expect(after).toMatchObject({ status: 'completed', nextRunAt: null });
    expect(after.lastRunAt).toBeTypeOf('string');
  });

  it('fires a cron campaign on consecutive slots and returns it to scheduled between runs', async () => {
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [emptyList],
      schedule: { cron: '*/2 * * * * *', timezone: 'Europe/Berlin' },
    });
    const runs = await waitFor(
      () => completedRuns(campaign.id).then((r) => (r.length >= 2 ? r : undefined)),
      { what: 'two runs' },
    );
    await api(t).post(`/v1/campaigns/${campaign.id}/cancel`);
    const slots = runs
      .map((run) => new Date(String(run.scheduledFor)).getTime())
      .sort((x, y) => x - y);
    expect((slots[1] ?? 0) - (slots[0] ?? 0)).toBe(2000);
    for (const run of runs) {
      expect(new Date(String(run.scheduledFor)).getUTCSeconds() % 2).toBe(0);
      const lateMs =
        new Date(String(run.startedAt)).getTime() - new Date(String(run.scheduledFor)).getTime();
      expect(lateMs).toBeLessThan(1000);
    }
  });

  it('makes exactly one run per slot with three schedulers on one database', async () => {
    const others = [
      await startTestService({ database: t.database }),
      await startTestService({ database: t.database }),
    ];
    try {
      const campaign = await createCampaign(t, {
        templateId,
        listIds: [emptyList],
        schedule: { cron: '*/2 * * * * *', timezone: 'UTC' },
      });
      const runs = await waitFor(
        () => runsOf(t, campaign.id).then((r) => (r.length >= 3 ? r : undefined)),
        { what: 'three runs' },
      );
      await api(t).post(`/v1/campaigns/${campaign.id}/cancel`);
      const all = await runsOf(t, campaign.id);
      const slots = all.map((run) => String(run.scheduledFor));
      expect(new Set(slots).size).toBe(slots.length);
      // consecutive slots, none missed, none doubled
      const times = slots.map((s) => new Date(s).getTime()).sort((x, y) => x - y);
      const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
      expect(gaps).toEqual(gaps.map(() => 2000));
      expect(runs.every((run) => run.status !== 'missed')).toBe(true);
      const [jobs] = await t.service.ctx.database.sql<{ count: number }[]>`
        select count(*)::int as count from pgboss.job
        where name = 'snapshot-run' and data->>'runId' in (
          select id::text from runs where campaign_id = ${String(campaign.id)})`;
      expect(jobs?.count).toBe(all.length);
    } finally {
      for (const other of others) await other.stop();
    }
  });
});

describe('roles', () => {
  it('runs the scheduler in all and worker processes only', async () => {
    const log = captureLogger('info');
    const apiOnly = await startTestService({
      database: t.database,
      env: { ROLE: 'api', LOG_LEVEL: 'info' },
      logger: log.logger,
    });
    await apiOnly.stop();
    const messages = log.lines().map((line) => line.msg);
    expect(messages).toContain('service started');
    expect(messages).not.toContain('scheduler started');
  });
});

describe('slots missed while the service was down', () => {
  it('fires a slot late by less than the grace on restart, records older ones as missed', async () => {
    const env = { MISSED_RUN_GRACE_MINUTES: '1' };
    const first = await startTestService({ env });
    const f = factories(first);
    const template = await f.template([]);
    const list = await f.list();
    await first.service.stop(); // the service is down from here
    await first.provider.stop();
    const sql = postgres(first.database.url, { max: 1, onnotice: () => {} });
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const insert = async (name: string, columns: Json) => {
      const [row] = await sql<{ id: string }[]>`
        insert into campaigns ${sql({ name, status: 'scheduled', template_id: template, list_ids: `{${list}}`, ...columns })}
        returning id`;
      return row?.id;
    };
    const graceSlot = ago(20_000);
    const inGrace = await insert('in grace', { schedule_at: graceSlot, next_run_at: graceSlot });
    const tooLate = await insert('too late', {
      schedule_at: ago(300_000),
      next_run_at: ago(300_000),
    });
    // hourly, last due 2 hours before its latest slot: three slots slept through, the latest
    // one 5-6 minutes ago, beyond the grace at any time of day (a '0 * * * *' pattern fired
    // its latest slot within the grace in the first minute of every hour)
    const latest = new Date(Date.now() - 300_000);
    latest.setUTCSeconds(0, 0);
    const latestSlot = latest.toISOString();
    const hourly = await insert('hourly', {
      schedule_cron: `${latest.getUTCMinutes()} * * * *`,
      schedule_timezone: 'UTC',
      next_run_at: new Date(latest.getTime() - 7_200_000).toISOString(),
    });
    await sql.end();

    const second = await startTestService({ env, database: first.database });
    try {
      const runs = async (id: unknown) => runsOf(second, id);
      const [fired] = await waitFor(
        () => runs(inGrace).then((r) => (r[0]?.status === 'completed' ? r : undefined)),
        {
          what: 'the late run',
        },
      );
      expect(fired).toMatchObject({ status: 'completed', scheduledFor: graceSlot });
      expect(new Date(String(fired?.startedAt)).getTime()).toBeGreaterThan(Date.now() - 10_000);

      const [missed] = await waitFor(() => runs(tooLate).then(some), {
        what: 'the missed run',
      });
      expect(missed).toMatchObject({ status: 'missed', startedAt: null, audience: 0 });
      expect((await api(second).get(`/v1/campaigns/${tooLate}`)).body).toMatchObject({
        status: 'completed',
        nextRunAt: null,
      });
      const [messages] = await second.service.ctx.database.sql<{ count: number }[]>`
        select count(*)::int as count from messages m join runs r on r.id = m.run_id where r.campaign_id = ${String(tooLate)}`;
      expect(messages?.count).toBe(0);

      const hourlyRuns = await waitFor(() => runs(hourly).then(some), {
        what: 'the hourly slot',
      });
      expect(hourlyRuns).toHaveLength(1);
      expect(hourlyRuns[0]).toMatchObject({ status: 'missed', scheduledFor: latestSlot });
      const campaign = (await api(second).get(`/v1/campaigns/${hourly}`)).body;
      expect(campaign.status).toBe('scheduled');
      expect(new Date(String(campaign.nextRunAt)).getTime()).toBe(
        new Date(latestSlot).getTime() + 3_600_000,
      );
    } finally {
      await second.stop();
      await first.database.drop();
    }
  });
});
