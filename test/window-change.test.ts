// A send window changed while a run has rows waiting (docs/design.md, rule 37): the rows are
// placed again by the new window in the background (the `window-change` job), so that a wider
// window or none brings them forward, a narrower one pushes them later, the deadline follows,
// and a row snapshotted without a zone gets one. A retry's backoff is not the window's wait and
// stays. Windows are set relative to now in UTC, as in test/send-windows.test.ts.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { quietHoursValue } from '../src/campaigns/applied-settings';
import { placeAgainForQuietHours } from '../src/campaigns/quiet-hours-change';
import { replaceWaitingRows } from '../src/campaigns/replace-waiting';
import { queueWindowChange } from '../src/campaigns/window-change.job';
import { campaigns, runs } from '../src/db/schema';
import { transaction } from '../src/db/transaction';
import { DEADLINE_REASON } from '../src/delivery/send-window';
import { api, createCampaign, type Json } from './helpers/api';
import { createTestDatabase } from './helpers/database';
import { factories } from './helpers/factories';
import { startTestService, type TestService, useServicePerTest, waitFor } from './helpers/service';

const startService = useServicePerTest();

const HOUR = 3_600_000;
/** HH:MM, `hours` from now, in UTC. */
const clockIn = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString().slice(11, 16);

type Row = {
  phone: string;
  status: string;
  error: string | null;
  notBefore: Date | null;
  expiresAt: Date | null;
  timeZone: string | null;
  attempts: number;
};

async function rowsOf(t: TestService, campaignId: string): Promise<Map<string, Row>> {
  const rows = await t.service.ctx.database.sql<
    (Omit<Row, 'notBefore' | 'expiresAt'> & {
      notBefore: string | null;
      expiresAt: string | null;
    })[]
  >`
    select phone, status::text, error, next_attempt_at as "notBefore", expires_at as "expiresAt",
      time_zone as "timeZone", attempts
    from messages where campaign_id = ${campaignId} and kind = 'template' order by phone`;
  // raw queries read timestamps as text
  const date = (text: string | null) => (text ? new Date(text) : null);
  return new Map(
    rows.map((r) => [
      r.phone,
      { ...r, notBefore: date(r.notBefore), expiresAt: date(r.expiresAt) },
    ]),
  );
}

function rowOf(rows: Map<string, Row>, phone: string): Row {
  const found = rows.get(phone);
  if (!found) throw new Error(`no row for ${phone}`);
  return found;
}

/** The run of `campaignId` (one). */
async function runOf(t: TestService, campaignId: string) {
  const [run] = await t.service.ctx.database.db
    .select()
    .from(runs)
    .where(eq(runs.campaignId, campaignId));
  if (!run) throw new Error(`no run of ${campaignId}`);
  return run;
}

const A = '+15550000001';
const B = '+15550000002';
const C = '+15550000003';

/**
 * A campaign of three recipients in UTC with `sendWindow` (none: QUIET_HOURS), started, its rows
 * all waiting for the window's opening.
 */
async function waitingCampaign(t: TestService, sendWindow?: Json) {
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const listId = await f.list();
  for (const phone of [A, B, C]) {
    const contact = await f.contact({ first_name: 'Ana', timezone: 'UTC' }, phone);
    await f.addToList(listId, contact.id);
  }
  const campaign = await createCampaign(t, {
    templateId,
    listIds: [listId],
    ...(sendWindow === undefined ? {} : { sendWindow }),
  });
  const id = String(campaign.id);
  expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
  await waitFor(
    async () => {
      const rows = await rowsOf(t, id);
      return rows.size === 3 && [...rows.values()].every((r) => r.notBefore !== null);
    },
    { what: 'every row to wait for its window' },
  );
  return id;
}

/** Pauses the campaign (a window changes only while it is), changes its window, and answers. */
async function changeWindow(t: TestService, id: string, sendWindow: Json | null | 'default') {
  expect((await api(t).post(`/v1/campaigns/${id}/pause`)).status).toBe(200);
  const patched = await api(t).patch(`/v1/campaigns/${id}`, { sendWindow });
  expect(patched.status).toBe(200);
}

/** Waits for the window-change jobs of the campaign's runs to be done. */
async function placedAgain(t: TestService, timeoutMs = 10_000) {
  await waitFor(
    async () => {
      const [left] = await t.service.ctx.database.sql<{ n: number }[]>`
        select count(*)::int as n from pgboss.job
        where name = 'window-change' and state not in ('completed', 'cancelled', 'failed')`;
      return left?.n === 0;
    },
    { what: 'the rows to be placed again', timeoutMs },
  );
}

describe('a send window changed while rows wait', () => {
  it('brings rows forward under a wider window, fills a missing zone, and leaves a retry waiting for its backoff', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200', LOG_LEVEL: 'warn' } });
    const id = await waitingCampaign(t, { from: clockIn(2), to: clockIn(3) });
    const before = await rowsOf(t, id);
    const opening = rowOf(before, A).notBefore?.getTime() ?? 0;
    expect(opening).toBeGreaterThan(Date.now() + HOUR);
    const { sql } = t.service.ctx.database;
    // B as a row snapshotted while the campaign had no window (no zone), C as a retry waiting
    // for its backoff (taken once, handed back to wait five hours)
    await sql`update messages set time_zone = null where campaign_id = ${id} and phone = ${B}`;
    await sql`
      update messages set attempts = 1, sending_at = now() - interval '1 minute',
        next_attempt_at = now() + interval '5 hours'
      where campaign_id = ${id} and phone = ${C}`;
    const backoff = rowOf(await rowsOf(t, id), C).notBefore?.getTime();

    // widened to open an hour ago: A and B may go now
    await changeWindow(t, id, { from: clockIn(-1), to: clockIn(3) });
    await placedAgain(t);
    const rows = await rowsOf(t, id);
    expect(rowOf(rows, A)).toMatchObject({ status: 'pending', notBefore: null, timeZone: 'UTC' });
    expect(rowOf(rows, B)).toMatchObject({ status: 'pending', notBefore: null, timeZone: 'UTC' });
    expect(rowOf(rows, C)).toMatchObject({ status: 'pending', attempts: 1, timeZone: 'UTC' });
    expect(rowOf(rows, C).notBefore?.getTime()).toBe(backoff);
    expect((await runOf(t, id)).waitingUntil).toBeNull();

    expect((await api(t).post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await waitFor(
      async () => {
        const rows = await rowsOf(t, id);
        return rows.get(A)?.status === 'sent' && rows.get(B)?.status === 'sent';
      },
      { what: 'the rows brought forward to be sent' },
    );
    expect(rowOf(await rowsOf(t, id), C).status).toBe('pending');
    expect(t.provider.sends()).toHaveLength(2);
  });

  it('releases the rows with `sendWindow: null`', async () => {
    const t = await startService({ env: { LOG_LEVEL: 'warn' } });
    const released = await waitingCampaign(t, { from: clockIn(2), to: clockIn(3) });
    await changeWindow(t, released, null);
    await placedAgain(t);
    // the run is no longer held for the change
    expect((await runOf(t, released)).windowChangeAt).toBeNull();
    for (const row of (await rowsOf(t, released)).values())
      expect(row).toMatchObject({ status: 'pending', notBefore: null, expiresAt: null });
  });

  it('pushes the rows later under a narrower window', async () => {
    const t = await startService({ env: { LOG_LEVEL: 'warn' } });
    const narrowed = await waitingCampaign(t, { from: clockIn(2), to: clockIn(6) });
    const opening = rowOf(await rowsOf(t, narrowed), A).notBefore?.getTime() ?? 0;
    await changeWindow(t, narrowed, { from: clockIn(4), to: clockIn(6) });
    await placedAgain(t);
    for (const row of (await rowsOf(t, narrowed)).values()) {
      expect(row.status).toBe('pending');
      // two hours later, to the minute the window's `from` names (a minute more when the clock
      // turned a minute between the two windows' clockIn)
      expect(Math.abs((row.notBefore?.getTime() ?? 0) - opening - 2 * HOUR)).toBeLessThanOrEqual(
        60_000,
      );
    }
  });

  it("keeps a local-time schedule's rows at their local time when the window is removed", async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200', LOG_LEVEL: 'warn' } });
    const f = factories(t);
    const templateId = await f.template(['{{first_name}}']);
    const listId = await f.list();
    const contact = await f.contact({ first_name: 'Ana', timezone: 'UTC' }, A);
    await f.addToList(listId, contact.id);
    // a wall-clock time UTC+14 reaches 6 seconds from now: 14 hours later in UTC
    const first = new Date(Date.now() + 6000);
    const local = new Date(first.getTime() + 14 * HOUR).toISOString().slice(0, 19);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { at: local, localTime: true },
      // open all day but for an hour starting in 20 hours: the local time is inside
      sendWindow: { from: clockIn(21), to: clockIn(20) },
    });
    const id = String(campaign.id);
    const placed = await waitFor(async () => (await rowsOf(t, id)).get(A)?.notBefore, {
      what: 'the run to open and place its row at the local time',
      timeoutMs: 30_000,
    });
    const localAt = Math.floor(first.getTime() / 1000) * 1000 + 14 * HOUR;
    expect(placed.getTime()).toBe(localAt);
    await changeWindow(t, id, null);
    await placedAgain(t);
    expect(rowOf(await rowsOf(t, id), A)).toMatchObject({
      status: 'pending',
      notBefore: new Date(localAt),
    });

    // the campaign's schedule moved a day on is its next run's: this run keeps its local time
    // (its rows were placed from now, as a start by hand's, when the run read the campaign's)
    const tomorrow = new Date(first.getTime() + 38 * HOUR).toISOString().slice(0, 19);
    const moved = await api(t).patch(`/v1/campaigns/${id}`, {
      schedule: { at: tomorrow, localTime: true },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const windowed = await api(t).patch(`/v1/campaigns/${id}`, {
      sendWindow: { from: clockIn(21), to: clockIn(20) },
    });
    expect(windowed.status).toBe(200);
    await placedAgain(t);
    expect(rowOf(await rowsOf(t, id), A)).toMatchObject({
      status: 'pending',
      notBefore: new Date(localAt),
    });
  });

  it('places the rows in batches keyed by id, each after the last one read', async () => {
    const t = await startService({ env: { LOG_LEVEL: 'warn' } });
    const id = await waitingCampaign(t, { from: clockIn(2), to: clockIn(3) });
    const run = await runOf(t, id);
    await changeWindow(t, id, { from: clockIn(2), to: clockIn(3) });
    const { ctx } = t.service;
    const first = await replaceWaitingRows(ctx, run.id, '0', 2);
    if (first === 'stopped') throw new Error('stopped');
    expect(first.read).toBe(2);
    const second = await replaceWaitingRows(ctx, run.id, first.lastId ?? '', 2);
    if (second === 'stopped') throw new Error('stopped');
    expect(second.read).toBe(1);
    expect(BigInt(second.lastId ?? 0)).toBeGreaterThan(BigInt(first.lastId ?? 0));
  });

  it("moves the deadline from the run's start, and ends `expired` the rows whose window now opens after it", async () => {
    const t = await startService({ env: { LOG_LEVEL: 'warn' } });
    const id = await waitingCampaign(t, { from: clockIn(2), to: clockIn(3), deadlineHours: 24 });
    const run = await runOf(t, id);
    const start = run.startedAt?.getTime() ?? 0;
    for (const row of (await rowsOf(t, id)).values())
      expect(row.expiresAt?.getTime()).toBe(start + 24 * HOUR);

    await changeWindow(t, id, { from: clockIn(2), to: clockIn(3), deadlineHours: 48 });
    await placedAgain(t);
    for (const row of (await rowsOf(t, id)).values()) {
      expect(row).toMatchObject({ status: 'pending', expiresAt: new Date(start + 48 * HOUR) });
      // still waiting for the same opening
      expect(row.notBefore?.getTime()).toBeGreaterThan(Date.now() + HOUR);
    }

    // an hour's deadline: the window opens in two, too late for all three; the run, paused,
    // completes once resumed
    const patched = await api(t).patch(`/v1/campaigns/${id}`, {
      sendWindow: { from: clockIn(2), to: clockIn(3), deadlineHours: 1 },
    });
    expect(patched.status).toBe(200);
    await placedAgain(t);
    for (const row of (await rowsOf(t, id)).values())
      expect(row).toMatchObject({ status: 'expired', error: DEADLINE_REASON, notBefore: null });
    expect((await api(t).post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await waitFor(
      async () => (await api(t).get(`/v1/campaigns/${id}`)).body.status === 'completed',
      {
        what: 'the run of expired rows to complete',
      },
    );
    expect((await api(t).get(`/v1/campaigns/${id}/stats`)).body).toMatchObject({ expired: 3 });
  });

  it('wakes a running run whose rows are now due, and queues nothing when the window stays the same', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200', LOG_LEVEL: 'warn' } });
    const id = await waitingCampaign(t, { from: clockIn(2), to: clockIn(3) });
    await waitFor(async () => (await runOf(t, id)).waitingUntil !== null, {
      what: 'the run to wait for the opening',
    });
    // the window changed under a running run (as a PATCH does for a paused one): its rows are
    // placed again and the run woken without a resume
    const { ctx } = t.service;
    const [current] = await ctx.database.db.select().from(campaigns).where(eq(campaigns.id, id));
    if (!current) throw new Error('no campaign');
    const wider = {
      ...current,
      sendWindowFrom: clockIn(-1),
      sendWindowTo: clockIn(3),
    };
    const queued = await transaction(ctx.database, async (tx) => {
      await tx.db
        .update(campaigns)
        .set({ sendWindowFrom: wider.sendWindowFrom, sendWindowTo: wider.sendWindowTo })
        .where(eq(campaigns.id, id));
      const quietHours = ctx.config.QUIET_HOURS;
      const was = { setting: current, quietHours };
      const same = await queueWindowChange(ctx, tx, id, was, was);
      expect(same).toBe(0);
      return queueWindowChange(ctx, tx, id, was, { setting: wider, quietHours });
    });
    expect(queued).toBe(1);
    await waitFor(
      async () => [...(await rowsOf(t, id)).values()].every((r) => r.status === 'sent'),
      { what: 'the woken run to send every row' },
    );
    await waitFor(
      async () => (await api(t).get(`/v1/campaigns/${id}`)).body.status === 'completed',
      {
        what: 'the run to complete',
      },
    );
  });

  it('sends nothing of a run while a change places its rows again, and goes on once the change is done or dead', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '200', LOG_LEVEL: 'warn' } });
    // no window: every row is due at once, but the run is held as a change's job would hold it
    const id = await waitingCampaign(t, { from: clockIn(2), to: clockIn(3) });
    // the snapshot's dispatcher done with the run: a round begun before the mark below would
    // still hold the old window, and put the rows made due back to its opening
    await waitFor(async () => (await runOf(t, id)).waitingUntil !== null, {
      what: 'the run to wait for its window',
    });
    const { sql } = t.service.ctx.database;
    await sql`update runs set window_change_at = now() where campaign_id = ${id}`;
    await sql`update messages set next_attempt_at = null where campaign_id = ${id}`;
    await sql`update campaigns set send_window_mode = 'off', send_window_from = null,
      send_window_to = null, send_window_days = null where id = ${id}`;
    await sql`update runs set waiting_until = null where campaign_id = ${id}`;
    // recovery queues the run; its dispatcher waits instead of sending
    await waitFor(async () => (await runOf(t, id)).waitingUntil !== null, {
      what: 'the held run to wait',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(t.provider.sends()).toHaveLength(0);
    // a change whose job fell silent for WINDOW_CHANGE_STALE_SECONDS holds it no longer
    await sql`update runs set window_change_at = now() - interval '121 seconds',
      waiting_until = null where campaign_id = ${id}`;
    await waitFor(
      async () => [...(await rowsOf(t, id)).values()].every((r) => r.status === 'sent'),
      { what: 'the run to send once the change is dead' },
    );
    expect(t.provider.sends()).toHaveLength(3);
  });
});

describe('QUIET_HOURS changed at a restart', () => {
  it('leaves the rows to a process on the QUIET_HOURS the last start recorded', async () => {
    // (the job's failures are logged as errors, as they should be, but not in the test's output)
    const t = await startService({ env: { LOG_LEVEL: 'fatal' } });
    const id = await waitingCampaign(t, { from: clockIn(2), to: clockIn(3) });
    const waiting = await rowsOf(t, id);
    const { sql } = t.service.ctx.database;
    // as if another process had started since with another value
    await sql`update applied_settings set value = '"another"' where name = 'QUIET_HOURS'`;
    await changeWindow(t, id, null);
    await waitFor(
      async () => {
        const [job] = await sql<{ state: string }[]>`
          select state::text from pgboss.job where name = 'window-change'`;
        return job?.state === 'retry';
      },
      { what: 'the job to fail in this process and wait for a retry' },
    );
    expect(await rowsOf(t, id)).toEqual(waiting);
    // this process is on the recorded value again (say, restarted with it): the retry places them
    await sql`update applied_settings set value = ${quietHoursValue(t.service.ctx)}
      where name = 'QUIET_HOURS'`;
    await placedAgain(t, 20_000);
    for (const row of (await rowsOf(t, id)).values()) expect(row.notBefore).toBeNull();
  });

  it('places again the waiting rows of the runs that follow it, once', async () => {
    const database = await createTestDatabase();
    const env = (quietHours: string) => ({
      QUIET_HOURS: quietHours,
      SEND_RATE_PER_SECOND: '200',
      LOG_LEVEL: 'warn',
    });
    const services: TestService[] = [];
    try {
      // quiet from an hour ago to three hours from now in UTC, the recipients' zone: rows wait
      const before = await startTestService({ database, env: env(`${clockIn(-1)}-${clockIn(3)}`) });
      services.push(before);
      const id = await waitingCampaign(before);
      await before.stop();
      services.pop();

      // quiet later in the day: the rows may go now
      const after = await startTestService({ database, env: env(`${clockIn(5)}-${clockIn(6)}`) });
      services.push(after);
      await waitFor(
        async () => [...(await rowsOf(after, id)).values()].every((r) => r.status === 'sent'),
        { what: 'the rows placed again to be sent' },
      );
      expect(after.provider.sends()).toHaveLength(3);
      // recorded: the next start with the same value places nothing
      expect(await placeAgainForQuietHours(after.service.ctx)).toBe(0);
    } finally {
      for (const service of services) await service.stop();
      await database.drop();
    }
  });
});
