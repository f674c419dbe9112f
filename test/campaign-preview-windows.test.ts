// The launch preview's delivery figures (docs/design.md, rules 35 and 37): how many the cap
// would skip, how many are outside their window at the start, when each is sent (byHour), and
// the warnings in words; the windows are relative to the real clock, as send-windows.test.ts's.
import { describe, expect, it } from 'vitest';
import { api, createCampaign, type Json, waitCompleted } from './helpers/api';
import { factories } from './helpers/factories';
import { type TestService, useServicePerTest, waitFor } from './helpers/service';

const startService = useServicePerTest();

const HOUR = 3_600_000;
/** HH:MM of `date` in UTC. */
const clockOf = (date: Date) => date.toISOString().slice(11, 16);
const hourOf = (date: Date) => new Date(Math.floor(date.getTime() / HOUR) * HOUR).toISOString();

type ByHour = { hour: string; count: number }[];

async function preview(t: TestService, id: unknown): Promise<Json> {
  const response = await api(t).get(`/v1/campaigns/${String(id)}/preview`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Two in UTC (one by its attribute, one of no known zone), two in UTC+6, one more in UTC. */
const people: [string, Record<string, string>][] = [
  ['+15550000001', { timezone: 'UTC' }],
  ['+15550000002', { timezone: 'Etc/GMT-6' }],
  ['+15550000003', { timezone: 'Etc/GMT-6' }],
  ['+99912345678', {}],
  ['+15550000005', { timezone: 'UTC' }],
];

async function setup(t: TestService) {
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const listId = await f.list();
  const earlier = await f.list('earlier');
  for (const [phone, attributes] of people) {
    const contact = await f.contact({ first_name: 'Ana', ...attributes }, phone);
    await f.addToList(listId, contact.id);
    // an earlier campaign sends two of them a marketing template (no category counts as one)
    if (phone === '+15550000001' || phone === '+15550000002')
      await f.addToList(earlier, contact.id);
  }
  const first = await createCampaign(t, { templateId, listIds: [earlier], sendWindow: null });
  expect((await api(t).post(`/v1/campaigns/${String(first.id)}/start`)).status).toBe(200);
  await waitCompleted(t, String(first.id));
  return { templateId, listId };
}

describe('the launch preview with send windows and a frequency cap', () => {
  it('counts the capped and those outside their window, plans them by hour, and agrees with the snapshot', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '10' } });
    const { templateId, listId } = await setup(t);
    const now = new Date();
    // open in UTC now (from 3 hours ago to 2 hours ahead); in UTC+6 it is closed
    const window = {
      from: clockOf(new Date(now.getTime() - 3 * HOUR)),
      to: clockOf(new Date(now.getTime() + 2 * HOUR)),
    };
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      sendWindow: window,
      frequencyCap: { max: 1, days: 7 },
    });
    const figures = await preview(t, campaign.id);
    expect(figures).toMatchObject({
      eligible: 5,
      capped: 2,
      outsideWindowNow: 2,
      expiring: 0,
    });
    const byHour = figures.byHour as ByHour;
    expect(byHour.reduce((sum, h) => sum + h.count, 0)).toBe(5);
    const start = new Date(String(figures.estimatedStart));
    expect(byHour[0]).toEqual({ hour: hourOf(start), count: 3 });
    // UTC+6 opens at `from` its time: 6 hours before `from` in UTC, the next such moment
    const [hh, mm] = window.from.split(':').map(Number);
    let opening = Date.UTC(
      start.getUTCFullYear(),
      start.getUTCMonth(),
      start.getUTCDate(),
      Number(hh) - 6,
      Number(mm),
    );
    while (opening <= start.getTime()) opening += 24 * HOUR;
    const last = byHour.at(-1);
    expect(last).toEqual({ hour: hourOf(new Date(opening)), count: 2 });
    expect(Date.parse(String(figures.estimatedFinish))).toBe(opening + 200);
    const warnings = figures.warnings as string[];
    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^40% of recipients are outside their send window now \\(sendWindow ${window.from}-${window.to}\\); the run will end (today|tomorrow) at \\d\\d:\\d\\d UTC$`,
        ),
      ),
    );
    expect(warnings).toContain('2 recipients would be skipped by the frequency cap (1 in 7 days)');

    // the snapshot places the same rows later: those waiting are the ones outside now
    expect((await api(t).post(`/v1/campaigns/${String(campaign.id)}/start`)).status).toBe(200);
    const { sql } = t.service.ctx.database;
    await waitFor(
      async () => {
        const [run] = await sql<{ done: boolean }[]>`
          select snapshot_done_at is not null as done from runs where campaign_id = ${String(campaign.id)}`;
        return run?.done === true;
      },
      { what: 'the snapshot' },
    );
    const waiting = await sql<{ phone: string; notBefore: string }[]>`
      select phone, next_attempt_at as "notBefore" from messages
      where campaign_id = ${String(campaign.id)} and kind = 'template'
        and next_attempt_at > now() order by phone`;
    expect(waiting.map((w) => w.phone)).toEqual(['+15550000002', '+15550000003']);
    expect(waiting.length).toBe(figures.outsideWindowNow);
    expect(waiting.map((w) => new Date(w.notBefore).getTime())).toEqual([opening, opening]);
  });

  it("counts the recipients the deadline would expire, and names QUIET_HOURS when it is the campaign's window", async () => {
    const now = new Date();
    // quiet from an hour ago to an hour ahead, in UTC: everyone waits
    const quiet = `${clockOf(new Date(now.getTime() - HOUR))}-${clockOf(new Date(now.getTime() + HOUR))}`;
    const t = await startService({ env: { QUIET_HOURS: quiet, FREQUENCY_CAP: '' } });
    const { templateId, listId } = await setup(t);
    const quietOne = await createCampaign(t, { templateId, listIds: [listId] });
    const quietFigures = await preview(t, quietOne.id);
    expect(quietFigures).toMatchObject({ capped: null, expiring: 0 });
    expect(quietFigures.outsideWindowNow).toBeGreaterThanOrEqual(3);
    expect(quietFigures.warnings).toContainEqual(
      expect.stringContaining(
        `of recipients are outside their send window now (QUIET_HOURS ${quiet})`,
      ),
    );

    // a window opening in UTC+6 only after the one-hour deadline
    const window = {
      from: clockOf(new Date(now.getTime() - 3 * HOUR)),
      to: clockOf(new Date(now.getTime() + 2 * HOUR)),
      deadlineHours: 1,
    };
    const late = await createCampaign(t, { templateId, listIds: [listId], sendWindow: window });
    const figures = await preview(t, late.id);
    expect(figures).toMatchObject({ outsideWindowNow: 2, expiring: 2, capped: null });
    expect((figures.byHour as ByHour).reduce((sum, h) => sum + h.count, 0)).toBe(3);
    expect(figures.warnings).toContain(
      '2 recipients would not be sent before the deadline (deadlineHours 1) and would end expired',
    );
  });

  it('plans a campaign without a window at its pace from the start, with no one outside', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '10', FREQUENCY_CAP: '' } });
    const { templateId, listId } = await setup(t);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], sendWindow: null });
    const figures = await preview(t, campaign.id);
    expect(figures).toMatchObject({ capped: null, outsideWindowNow: 0, expiring: 0 });
    const start = new Date(String(figures.estimatedStart));
    expect(Date.parse(String(figures.estimatedFinish))).toBe(start.getTime() + 500);
    expect((figures.byHour as ByHour).reduce((sum, h) => sum + h.count, 0)).toBe(5);
  });
});

describe('the launch preview of a local-time schedule', () => {
  it('waits for the local time in each zone: UTC+14 at the start, UTC 14 hours later', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '10', FREQUENCY_CAP: '' } });
    const f = factories(t);
    const templateId = await f.template(['{{first_name}}']);
    const listId = await f.list();
    for (const [phone, timezone] of [
      ['+15550000001', 'Pacific/Kiritimati'],
      ['+15550000002', 'UTC'],
      ['+15550000003', 'UTC'],
    ] as const) {
      const contact = await f.contact({ first_name: 'Ana', timezone }, phone);
      await f.addToList(listId, contact.id);
    }
    // a wall-clock time UTC+14 reaches in an hour
    const first = new Date(Math.ceil((Date.now() + HOUR) / 60_000) * 60_000);
    const local = new Date(first.getTime() + 14 * HOUR).toISOString().slice(0, 16);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at: local, localTime: true },
      sendWindow: null,
    });
    const figures = await preview(t, campaign.id);
    expect(figures.estimatedStart).toBe(first.toISOString());
    expect(figures).toMatchObject({ eligible: 3, outsideWindowNow: 2, expiring: 0 });
    const byHour = (figures.byHour as ByHour).filter((h) => h.count > 0);
    expect(byHour).toEqual([
      { hour: hourOf(first), count: 1 },
      { hour: hourOf(new Date(first.getTime() + 14 * HOUR)), count: 2 },
    ]);
    expect(Date.parse(String(figures.estimatedFinish))).toBe(first.getTime() + 14 * HOUR + 200);
    expect(figures.warnings).toContainEqual(
      expect.stringContaining(
        `66.7% of recipients have not reached the schedule's local time (${local.slice(11, 16)}) yet; the run will end`,
      ),
    );
  });
});

describe("the campaign's zone in the preview and the snapshot", () => {
  it('places alike a zone stored in another case, and reads one PostgreSQL lacks as UTC, with a warning, not a 500', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '10', FREQUENCY_CAP: '' } });
    const f = factories(t);
    const templateId = await f.template(['{{first_name}}']);
    const listId = await f.list();
    for (const [phone, attributes] of [
      ['+15550000001', { timezone: 'UTC' }],
      // the attribute in any case: New York
      ['+99912345679', { timezone: 'america/new_york' }],
      // no attribute, a number of no known country: the campaign's zone
      ['+99912345678', {}],
    ] as const) {
      const contact = await f.contact({ first_name: 'Ana', ...attributes }, phone);
      await f.addToList(listId, contact.id);
    }
    const now = new Date();
    // open in UTC now; closed in New York (5 hours behind) and in Tokyo (9 ahead)
    const window = {
      from: clockOf(new Date(now.getTime() - 3 * HOUR)),
      to: clockOf(new Date(now.getTime() + 2 * HOUR)),
    };
    const { sql } = t.service.ctx.database;
    /**
     * A campaign whose stored zone is `zone`, as one saved before zones were checked; a draft
     * (its column alone), so that its preview starts now, as its start by hand does.
     */
    const campaignIn = async (zone: string) => {
      const campaign = await createCampaign(t, {
        templateId,
        listIds: [listId],
        sendWindow: window,
      });
      await sql`update campaigns set schedule_timezone = ${zone} where id = ${String(campaign.id)}`;
      return String(campaign.id);
    };
    /** The snapshot's rows: each phone's zone and the hour it waits for (null: sent now). */
    const snapshot = async (id: string) => {
      expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
      await waitFor(
        async () => {
          const [run] = await sql<{ done: boolean }[]>`
            select snapshot_done_at is not null as done from runs where campaign_id = ${id}`;
          return run?.done === true;
        },
        { what: 'the snapshot' },
      );
      return sql<{ phone: string; zone: string; notBefore: string | null }[]>`
        select phone, time_zone as zone, next_attempt_at as "notBefore" from messages
        where campaign_id = ${id} and kind = 'template' order by phone`;
    };

    // Node's Intl reads it, PostgreSQL does not: the preview answered 500
    const gone = await campaignIn('US/Pacific-New');
    const goneFigures = await preview(t, gone);
    expect(goneFigures).toMatchObject({ eligible: 3, outsideWindowNow: 1 });
    expect(goneFigures.warnings).toContainEqual(
      expect.stringContaining(
        "the schedule's timezone US/Pacific-New is not a time zone PostgreSQL knows: recipients of no known zone would be placed in UTC",
      ),
    );
    const goneRows = await snapshot(gone);
    expect(goneRows.map((r) => [r.phone, r.zone])).toEqual([
      ['+15550000001', 'UTC'],
      ['+99912345678', 'UTC'],
      ['+99912345679', 'America/New_York'],
    ]);
    expect(goneRows.filter((r) => r.notBefore !== null).length).toBe(goneFigures.outsideWindowNow);

    // PostgreSQL reads `asia/tokyo`, but it is no name of pg_timezone_names: the preview placed
    // its recipients in Tokyo while the snapshot fell back to UTC
    const tokyo = await campaignIn('asia/tokyo');
    const figures = await preview(t, tokyo);
    expect(figures).toMatchObject({ eligible: 3, outsideWindowNow: 2 });
    expect(figures.warnings).not.toContainEqual(expect.stringContaining('PostgreSQL knows'));
    const rows = await snapshot(tokyo);
    expect(rows.map((r) => [r.phone, r.zone])).toEqual([
      ['+15550000001', 'UTC'],
      ['+99912345678', 'Asia/Tokyo'],
      ['+99912345679', 'America/New_York'],
    ]);
    // the hours the waiting rows open are the hours the preview plans them
    const planned = (figures.byHour as ByHour).filter((h) => h.count > 0).map((h) => h.hour);
    const waitingHours = rows
      .filter((r) => r.notBefore !== null)
      .map((r) => hourOf(new Date(String(r.notBefore))))
      .sort();
    expect(waitingHours).toHaveLength(2);
    expect(planned.slice(1)).toEqual(waitingHours);
  });
});
