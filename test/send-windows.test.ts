// Send windows and local-time schedules (docs/design.md, rule 37): each message goes only inside
// a window of its recipient's local time (their `timezone` attribute, else their phone's
// country, else the campaign's zone); outside it, it waits `pending` with a `notBefore`. The
// window's arithmetic is PostgreSQL's (send_windows(), next_send_opening()): tested first on a
// frozen clock (the functions take the moment), then end to end against the real one.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runs, templates } from '../src/db/schema';
import { DEADLINE_REASON } from '../src/delivery/send-window';
import { wakeIfDue } from '../src/sending/queries';
import { api, createCampaign, type Json } from './helpers/api';
import { factories } from './helpers/factories';
import { type TestService, useServicePerTest, waitFor } from './helpers/service';

const startService = useServicePerTest();

type Row = {
  phone: string;
  status: string;
  error: string | null;
  notBefore: Date | null;
  timeZone: string | null;
  attempts: number;
};

async function rowsOf(t: TestService, campaignId: string): Promise<Row[]> {
  const rows = await t.service.ctx.database.sql<
    (Omit<Row, 'notBefore'> & { notBefore: string | null })[]
  >`
    select phone, status::text, error, next_attempt_at as "notBefore", time_zone as "timeZone",
      attempts
    from messages where campaign_id = ${campaignId} and kind = 'template' order by phone`;
  // raw queries read timestamps as text
  return rows.map((r) => ({ ...r, notBefore: r.notBefore ? new Date(r.notBefore) : null }));
}

/** The row to `phone`, once the snapshot wrote it. */
const rowTo = async (t: TestService, campaignId: string, phone: string) =>
  (await rowsOf(t, campaignId)).find((r) => r.phone === phone);

const row = (rows: Row[], phone: string): Row => {
  const found = rows.find((r) => r.phone === phone);
  if (!found) throw new Error(`no row for ${phone}`);
  return found;
};

/** HH:MM of `date` in UTC. */
const clockOf = (date: Date) => date.toISOString().slice(11, 16);
/** HH:MM of `date` in `zone`. */
const localClock = (date: Date, zone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);

const HOUR = 3_600_000;
/** A window open in UTC from three hours ago to two hours ahead: 6 hours ahead is outside. */
const openNowInUtc = () => ({
  from: clockOf(new Date(Date.now() - 3 * HOUR)),
  to: clockOf(new Date(Date.now() + 2 * HOUR)),
});

/** A list of contacts, one per (phone, attributes). */
async function audience(t: TestService, people: [string, Record<string, string>][]) {
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const listId = await f.list();
  for (const [phone, attributes] of people) {
    const contact = await f.contact({ first_name: 'Ana', ...attributes }, phone);
    await f.addToList(listId, contact.id);
  }
  return { templateId, listId };
}

/** The paths of the errors of a 422 answering a campaign with `fields`, which must be refused. */
async function refusedPaths(fields: Json): Promise<string[]> {
  const t = await startService();
  const { templateId, listId } = await audience(t, [['+15550000001', {}]]);
  const body = { name: 'x', templateId, listIds: [listId], ...fields };
  const response = await api(t).post('/v1/campaigns', body);
  expect(response.status).toBe(422);
  return (response.body.errors as { path: string }[]).map((e) => e.path);
}

describe('the window arithmetic, on a frozen clock', () => {
  it('opens in each zone at its own local time, on the days given, across midnight and clock changes', async () => {
    const t = await startService();
    const { sql } = t.service.ctx.database;
    const opening = async (zone: string, after: string, from: string, to: string, days = 127) => {
      // raw queries read timestamps as text
      const [r] = await sql<{ at: string | null }[]>`
        select next_send_opening(${zone}, ${after}::timestamptz, ${from}::time, ${to}::time, ${days}::int) as at`;
      return r?.at ? new Date(r.at).toISOString() : null;
    };
    // 19:00 UTC is 20:00 in Paris: closed until 09:00 tomorrow (08:00 UTC)
    expect(await opening('Europe/Paris', '2026-11-29T19:00Z', '09:00', '20:00')).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    // open now: the moment itself
    expect(await opening('Europe/Paris', '2026-11-30T10:00Z', '09:00', '20:00')).toBe(
      '2026-11-30T10:00:00.000Z',
    );
    // the same moment in Tokyo (19:00) is inside
    expect(await opening('Asia/Tokyo', '2026-11-30T10:00Z', '09:00', '20:00')).toBe(
      '2026-11-30T10:00:00.000Z',
    );
    // Saturday 28 November, weekdays only (mask 0b0011111): Monday 09:00 Paris
    expect(await opening('Europe/Paris', '2026-11-28T10:00Z', '09:00', '20:00', 0b0011111)).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    // a window past midnight (21:00 to 02:00): 23:00 in Tokyo is inside, 03:00 is not
    expect(await opening('Asia/Tokyo', '2026-11-29T14:00Z', '21:00', '02:00')).toBe(
      '2026-11-29T14:00:00.000Z',
    );
    expect(await opening('Asia/Tokyo', '2026-11-29T18:00Z', '21:00', '02:00')).toBe(
      '2026-11-30T12:00:00.000Z',
    );
    // New York springs forward on 8 March 2026 at 02:00: a window 01:00 to 04:00 that day is
    // two hours long (06:00 to 08:00 UTC), the next day three (05:00 to 08:00 UTC)
    const [short] = await sql<{ opens: string; closes: string }[]>`
      select opens_at as opens, closes_at as closes
      from send_windows('America/New_York', '2026-03-08T05:59Z', '01:00', '04:00', 127, 1)
      order by opens_at limit 1`;
    expect(new Date(short?.opens ?? 0).toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(new Date(short?.closes ?? 0).toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(await opening('America/New_York', '2026-03-08T08:00Z', '01:00', '04:00')).toBe(
      '2026-03-09T05:00:00.000Z',
    );
    // ...and falls back on 1 November 2026: 09:00 local is 14:00 UTC before, 14:00 after
    expect(await opening('America/New_York', '2026-10-31T15:00Z', '09:00', '20:00')).toBe(
      '2026-10-31T15:00:00.000Z',
    );
    expect(await opening('America/New_York', '2026-11-01T02:00Z', '09:00', '20:00')).toBe(
      '2026-11-01T14:00:00.000Z',
    );
    // Berlin skips 02:00 to 03:00 on 29 March 2026: a window 02:30 to 03:00 does not exist that
    // night, and the next opens the night after (02:30 CEST, 00:30 UTC)
    expect(await opening('Europe/Berlin', '2026-03-29T00:50Z', '02:30', '03:00')).toBe(
      '2026-03-30T00:30:00.000Z',
    );
    // ...and when that night is the window's only weekday (Sundays, mask 64), the next is a
    // week later, not none: a week's horizon read that as past the deadline
    expect(await opening('America/New_York', '2026-03-01T12:00Z', '02:30', '03:00', 64)).toBe(
      '2026-03-15T06:30:00.000Z',
    );
    // no day in the mask: no opening
    expect(await opening('UTC', '2026-11-29T10:00Z', '09:00', '20:00', 0)).toBeNull();
  });
});

describe('sendWindow', () => {
  it("reads a contact's zone attribute in any case, and not the names that are no place's zone", async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200', LOG_LEVEL: 'warn' } });
    const window = openNowInUtc();
    const { templateId, listId } = await audience(t, [
      ['+99912345601', { timezone: 'america/new_york' }],
      ['+99912345602', { timezone: 'EUROPE/PARIS' }],
      // listed by pg_timezone_names, but no place's zone (docs/decisions.md): the phone's
      ['+447911123401', { timezone: 'Factory' }],
      ['+447911123402', { timezone: 'localtime' }],
      ['+447911123403', { timezone: 'posix/Asia/Tokyo' }],
      ['+447911123404', { timezone: 'right/Asia/Tokyo' }],
    ]);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], sendWindow: window });
    const id = String(campaign.id);
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(async () => (await rowsOf(t, id)).length === 6, { what: 'the snapshot' });
    const zones = Object.fromEntries((await rowsOf(t, id)).map((r) => [r.phone, r.timeZone]));
    expect(zones).toEqual({
      '+99912345601': 'America/New_York',
      '+99912345602': 'Europe/Paris',
      '+447911123401': 'Europe/London',
      '+447911123402': 'Europe/London',
      '+447911123403': 'Europe/London',
      '+447911123404': 'Europe/London',
    });
  });

  it("sends those inside their window now and keeps the others waiting with the opening of theirs, by attribute, phone, or the campaign's zone", async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200', LOG_LEVEL: 'warn' } });
    const window = openNowInUtc();
    const { templateId, listId } = await audience(t, [
      ['+15550000001', { timezone: 'UTC' }],
      ['+15550000002', { timezone: 'Etc/GMT-6' }],
      // not a zone: the phone's (+44, the United Kingdom: UTC or an hour ahead, inside)
      ['+447911123456', { timezone: 'Mars/Olympus' }],
      // a number of no known country: the campaign's zone (UTC), inside
      ['+99912345678', {}],
    ]);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], sendWindow: window });
    expect(campaign.sendWindow).toEqual(window);
    const id = String(campaign.id);
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(
      async () => (await rowsOf(t, id)).filter((r) => r.status === 'sent').length === 3,
      {
        what: 'the three inside their window',
      },
    );
    const rows = await rowsOf(t, id);
    expect(row(rows, '+447911123456').timeZone).toBe('Europe/London');
    expect(row(rows, '+99912345678').timeZone).toBe('UTC');
    const waiting = row(rows, '+15550000002');
    expect(waiting).toMatchObject({ status: 'pending', timeZone: 'Etc/GMT-6', attempts: 0 });
    // it waits for the window's opening in its own zone: `from`, local
    expect(waiting.notBefore?.getTime()).toBeGreaterThan(Date.now());
    expect(localClock(waiting.notBefore ?? new Date(0), 'Etc/GMT-6')).toBe(window.from);
    const messages = (await api(t).get(`/v1/campaigns/${id}/messages`)).body.data as Json[];
    const shown = messages.find((m) => m.phone === '+15550000002');
    expect(shown).toMatchObject({
      status: 'pending',
      timeZone: 'Etc/GMT-6',
      notBefore: waiting.notBefore?.toISOString(),
    });
    expect(messages.find((m) => m.phone === '+15550000001')?.notBefore).toBeNull();
    // the run goes on, left to wait rather than polled
    const [run] = await t.service.ctx.database.db
      .select()
      .from(runs)
      .where(eq(runs.campaignId, id));
    expect(run?.status).toBe('running');
    await waitFor(
      async () => {
        const [r] = await t.service.ctx.database.db
          .select()
          .from(runs)
          .where(eq(runs.campaignId, id));
        return r?.waitingUntil?.getTime() === waiting.notBefore?.getTime();
      },
      { what: 'the run to wait for the opening' },
    );
    expect(t.provider.sends()).toHaveLength(3);
    const progress = (await api(t).get(`/v1/campaigns/${id}/progress`)).body;
    expect(progress.run).toMatchObject({
      pending: 1,
      waiting: 1,
      nextDueAt: waiting.notBefore?.toISOString(),
      expired: 0,
    });

    // a row coming due outside its window (a retry's wait, a backlog) is put back, not sent:
    // its due time and the run's wait moved to a second ago, as if the clock had reached them
    // (recovery, not the test, queues the run again)
    const { sql } = t.service.ctx.database;
    await sql`
      update messages set next_attempt_at = now() - interval '1 second'
      where campaign_id = ${id} and phone = '+15550000002'`;
    await sql`update runs set waiting_until = now() - interval '1 second' where campaign_id = ${id}`;
    await waitFor(
      async () =>
        row(await rowsOf(t, id), '+15550000002').notBefore?.getTime() ===
        waiting.notBefore?.getTime(),
      { what: 'the claim to put the row back to its window' },
    );
    expect(row(await rowsOf(t, id), '+15550000002')).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    const [back] = await sql<{ sendingBy: string | null }[]>`
      select sending_by as "sendingBy" from messages
      where campaign_id = ${id} and phone = '+15550000002'`;
    expect(back?.sendingBy).toBeNull();
    expect(t.provider.sends()).toHaveLength(3);

    // a row placed before the moment the run waits for, still ahead (a snapshot batch committed
    // between the dispatcher's count and its decision to wait): looking again wakes the run,
    // which then waits for that row's moment instead of the later one. The dispatcher looks too
    // once it has let go of the run, which on a busy machine may come after the update below:
    // whichever looks first wakes it, so the test's look may find it awake already.
    const waitingRun = async () => {
      const [r] = await t.service.ctx.database.db
        .select()
        .from(runs)
        .where(eq(runs.campaignId, id));
      return r;
    };
    await waitFor(
      async () => (await waitingRun())?.waitingUntil?.getTime() === waiting.notBefore?.getTime(),
      {
        what: 'the run to wait again',
      },
    );
    const [earlier] = await sql<{ at: string }[]>`
      update messages set next_attempt_at = now() + interval '1 hour'
      where campaign_id = ${id} and phone = '+15550000002' returning next_attempt_at as at`;
    await wakeIfDue(sql, String((await waitingRun())?.id));
    await waitFor(
      async () =>
        (await waitingRun())?.waitingUntil?.getTime() === new Date(earlier?.at ?? 0).getTime(),
      { what: 'the run to wait for the earlier row' },
    );
    expect(await wakeIfDue(sql, String((await waitingRun())?.id))).toBe(false);
    expect(t.provider.sends()).toHaveLength(3);
  });

  it('ends as `expired` the messages whose window opens only after the deadline', async () => {
    const t = await startService();
    const window = { ...openNowInUtc(), deadlineHours: 1 };
    const { templateId, listId } = await audience(t, [
      ['+15550000001', { timezone: 'UTC' }],
      ['+15550000002', { timezone: 'Etc/GMT-6' }],
    ]);
    const campaign = await createCampaign(t, { templateId, listIds: [listId], sendWindow: window });
    const id = String(campaign.id);
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(
      async () => (await api(t).get(`/v1/campaigns/${id}`)).body.status === 'completed',
      {
        what: 'the run to complete',
      },
    );
    const rows = await rowsOf(t, id);
    expect(row(rows, '+15550000001').status).toBe('sent');
    expect(row(rows, '+15550000002')).toMatchObject({ status: 'expired', error: DEADLINE_REASON });
    const stats = (await api(t).get(`/v1/campaigns/${id}/stats`)).body;
    expect(stats).toMatchObject({ audience: 2, sent: 1, pending: 0, expired: 1 });

    // with a day's deadline the row waits (its window opens within it) until the deadline: the
    // clock moved to just past both, its claim ends it `expired`, and the run completes
    const later = await createCampaign(t, {
      templateId,
      listIds: [listId],
      sendWindow: { ...window, deadlineHours: 24 },
    });
    const laterId = String(later.id);
    expect((await api(t).post(`/v1/campaigns/${laterId}/start`)).status).toBe(200);
    await waitFor(async () => (await rowTo(t, laterId, '+15550000002'))?.notBefore, {
      what: 'the row to wait for its window',
    });
    const { sql } = t.service.ctx.database;
    await sql`
      update messages set next_attempt_at = now() - interval '1 second',
        expires_at = now() - interval '1 second'
      where campaign_id = ${laterId} and phone = '+15550000002'`;
    await sql`update runs set waiting_until = now() - interval '1 second' where campaign_id = ${laterId}`;
    await waitFor(
      async () => (await api(t).get(`/v1/campaigns/${laterId}`)).body.status === 'completed',
      { what: 'the later run to complete' },
    );
    expect(row(await rowsOf(t, laterId), '+15550000002')).toMatchObject({
      status: 'expired',
      error: DEADLINE_REASON,
      attempts: 0,
    });
  });

  it('follows QUIET_HOURS for a marketing campaign that names no window, and not with `sendWindow: null` or a utility template', async () => {
    const now = new Date();
    // quiet from an hour ago to an hour ahead, in UTC
    const quiet = `${clockOf(new Date(now.getTime() - HOUR))}-${clockOf(new Date(now.getTime() + HOUR))}`;
    const t = await startService({ env: { QUIET_HOURS: quiet } });
    const { templateId, listId } = await audience(t, [['+15550000001', { timezone: 'UTC' }]]);
    const quietOne = await createCampaign(t, { templateId, listIds: [listId] });
    expect(quietOne).not.toHaveProperty('sendWindow');
    const loud = await createCampaign(t, { templateId, listIds: [listId], sendWindow: null });
    expect(loud.sendWindow).toBeNull();
    for (const c of [quietOne, loud])
      expect((await api(t).post(`/v1/campaigns/${String(c.id)}/start`)).status).toBe(200);
    await waitFor(
      async () =>
        (await api(t).get(`/v1/campaigns/${String(loud.id)}`)).body.status === 'completed',
      {
        what: 'the campaign without a window',
      },
    );
    const waiting = await waitFor(() => rowTo(t, String(quietOne.id), '+15550000001'), {
      what: "the quiet campaign's snapshot",
    });
    expect(waiting.status).toBe('pending');
    expect(clockOf(waiting.notBefore ?? new Date(0))).toBe(quiet.slice(6));

    // a utility template is exempt from the default
    const utility = await factories(t).template(['{{first_name}}']);
    await t.service.ctx.database.db
      .update(templates)
      .set({ category: 'utility' })
      .where(eq(templates.id, utility));
    const notice = await createCampaign(t, { templateId: utility, listIds: [listId] });
    expect((await api(t).post(`/v1/campaigns/${String(notice.id)}/start`)).status).toBe(200);
    await waitFor(
      async () =>
        (await api(t).get(`/v1/campaigns/${String(notice.id)}`)).body.status === 'completed',
      {
        what: 'the utility campaign',
      },
    );

    // PATCH 'default' follows QUIET_HOURS again; a finished campaign is no longer edited
    const own = { from: '09:00', to: '17:00', days: ['mon', 'fri'], deadlineHours: 48 };
    const draft = await createCampaign(t, { templateId, listIds: [listId], sendWindow: own });
    expect(draft.sendWindow).toEqual(own);
    const patched = await api(t).patch(`/v1/campaigns/${String(draft.id)}`, {
      sendWindow: 'default',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('sendWindow');
    const late = await api(t).patch(`/v1/campaigns/${String(loud.id)}`, { sendWindow: 'default' });
    expect(late.status).toBe(409);
  });

  it.each([
    [{ from: '09:00', to: '09:00' }, 'sendWindow.to'],
    [{ from: '9:00', to: '20:00' }, 'sendWindow.from'],
    [{ from: '09:00', to: '24:00' }, 'sendWindow.to'],
    [{ from: '09:00', to: '20:00', days: ['mon', 'mon'] }, 'sendWindow.days'],
    [{ from: '09:00', to: '20:00', days: [] }, 'sendWindow.days'],
    [{ from: '09:00', to: '20:00', days: ['monday'] }, 'sendWindow'],
    [{ from: '09:00', to: '20:00', deadlineHours: 0 }, 'sendWindow.deadlineHours'],
    [{ from: '09:00', to: '20:00', deadlineHours: 721 }, 'sendWindow.deadlineHours'],
    [{ from: '09:00', to: '20:00', until: '21:00' }, 'sendWindow'],
  ])('refuses the window %j with a 422 naming %s', async (sendWindow, path) => {
    expect(await refusedPaths({ sendWindow })).toContain(path);
  });
});

describe('schedule: {at, localTime: true}', () => {
  it('opens the run when the first zone reaches the time, and sends each recipient at that time in their own zone', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200' } });
    const { templateId, listId } = await audience(t, [
      ['+15550000001', { timezone: 'Pacific/Kiritimati' }],
      ['+15550000002', { timezone: 'Etc/GMT-13' }],
      ['+15550000003', { timezone: 'UTC' }],
    ]);
    // a wall-clock time UTC+14 reaches 8 seconds from now (taken once the audience is there:
    // the time must still be ahead when the campaign is created)
    const first = new Date(Date.now() + 8000);
    const local = new Date(first.getTime() + 14 * HOUR).toISOString().slice(0, 19);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at: local, localTime: true },
      sendWindow: null,
    });
    // the API writes the local time without its seconds when they are 0
    expect(campaign.schedule).toEqual({ at: local.replace(/:00$/, ''), localTime: true });
    expect(new Date(String(campaign.nextRunAt)).getTime()).toBe(
      Math.floor(first.getTime() / 1000) * 1000,
    );
    const id = String(campaign.id);
    await waitFor(async () => (await rowsOf(t, id)).some((r) => r.status === 'sent'), {
      what: 'the first zone to be sent',
      timeoutMs: 30_000,
    });
    const rows = await rowsOf(t, id);
    expect(row(rows, '+15550000001').status).toBe('sent');
    // the others at the same wall-clock time in theirs: 1 hour and 14 hours later
    const at = (phone: string) => row(rows, phone).notBefore?.getTime() ?? 0;
    expect(at('+15550000002') - Math.floor(first.getTime() / 1000) * 1000).toBe(HOUR);
    expect(at('+15550000003') - Math.floor(first.getTime() / 1000) * 1000).toBe(14 * HOUR);
    expect(row(rows, '+15550000003').status).toBe('pending');
  });

  it('sends at once a local-time campaign started by hand', async () => {
    const t = await startService();
    const { templateId, listId } = await audience(t, [['+15550000001', { timezone: 'UTC' }]]);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at: '2099-12-01T10:00', localTime: true },
      sendWindow: null,
    });
    const id = String(campaign.id);
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(async () => (await rowTo(t, id, '+15550000001'))?.status === 'sent', {
      what: 'the start by hand to send now',
    });
  });

  it.each([
    [{ at: '2026-12-01T10:00:00Z', localTime: true }, 'schedule.at'],
    [{ at: '2020-12-01T10:00', localTime: true }, 'schedule.at'],
    [{ cron: '0 9 * * *', localTime: true }, 'schedule.cron'],
    [{ at: '2099-12-01T10:00', localTime: true, timezone: 'Mars/Olympus' }, 'schedule.timezone'],
    // Node's Intl reads it; PostgreSQL, which places the recipients, does not
    [{ at: '2099-12-01T10:00', localTime: true, timezone: 'US/Pacific-New' }, 'schedule.timezone'],
  ])('refuses %j with a 422 naming %s', async (schedule, path) => {
    expect(await refusedPaths({ schedule })).toContain(path);
  });
});
