import { describe, expect, it } from 'vitest';
import { snapshotRunBatch } from '../src/campaigns/snapshot-run';
import { renderTemplateParameters } from '../src/templates/render';
import { api, createCampaign, type Json, runsOf } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService, waitFor } from './helpers/service';

const t = useTestService();

type MessageRow = {
  contact_id: string;
  phone: string;
  kind: string;
  status: string;
  params: string[] | null;
  error: string | null;
};

const messagesOf = (runId: unknown) => t.service.ctx.database.sql<MessageRow[]>`
  select contact_id, phone, kind, status, params, error from messages where run_id = ${String(runId)}`;

const doneRun = (campaignId: unknown) =>
  waitFor(
    async () => {
      const [run] = await runsOf(t, campaignId);
      const [row] = await t.service.ctx.database.sql<{ done: boolean }[]>`
        select snapshot_done_at is not null as done from runs where id = ${String(run?.id)}`;
      // read the run again: the snapshot may have committed between the two reads above
      return row?.done ? (await runsOf(t, campaignId))[0] : undefined;
    },
    { what: 'the snapshot' },
  );

/**
 * `contacts` contacts over two overlapping lists (the first `inA`, the rest from `fromB` on) and
 * a run opened by hand, without its job, so that the test drives every batch; paused, so that
 * no dispatcher (queued by recovery) sends its rows meanwhile.
 */
async function handRun(contacts: number, inA: number, fromB: number) {
  const f = factories(t);
  const [a, b] = [await f.list(), await f.list()];
  const ids: string[] = [];
  for (let i = 0; i < contacts; i++) ids.push((await f.contact({ n: String(i) })).id);
  await f.addToList(a, ...ids.slice(0, inA));
  await f.addToList(b, ...ids.slice(fromB));
  const campaign: Json = await createCampaign(t, {
    templateId: await f.template(),
    listIds: [a, b],
  });
  const [run] = await t.service.ctx.database.sql<{ id: string }[]>`
    insert into runs (campaign_id, scheduled_for, started_at, status)
    values (${String(campaign.id)}, now(), now(), 'paused') returning id`;
  return { ids, runId: String(run?.id) };
}

const campaignOf = async (runId: string) => {
  const [run] = await t.service.ctx.database.sql<{ campaignId: string }[]>`
    select campaign_id as "campaignId" from runs where id = ${runId}`;
  return String(run?.campaignId);
};

/** Until `count` sessions of the test's database wait for a lock (each half's insert, a cancel). */
const lockWaiters = (count: number) =>
  waitFor(
    async () => {
      const [row] = await t.service.ctx.database.sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`;
      return (row?.n ?? 0) >= count;
    },
    { what: `${count} sessions waiting for a lock` },
  );

/**
 * A row of the run for `contactId`, inserted in a transaction left open: a snapshot's insert of
 * that contact waits for it (the unique key of run and contact) until it is rolled back.
 */
async function holdContact(runId: string, campaignId: string, contactId: string | undefined) {
  const held = await t.service.ctx.database.sql.reserve();
  await held`begin`;
  await held`insert into messages (run_id, campaign_id, contact_id, phone, kind, status)
    values (${runId}, ${campaignId}, ${String(contactId)}, '+10000000000', 'template', 'skipped')`;
  return held;
}

describe('audience snapshot', () => {
  it('takes each contact of overlapping lists once, without opted-out phones, skipping those that cannot render', async () => {
    const f = factories(t);
    const parameters = ['{{first_name}}', 'Hi {{ first_name }} from {{city|your city}}!'];
    const templateId = await f.template(parameters);
    const [a, b] = [await f.list('a'), await f.list('b')];
    const anna = await f.contact({ first_name: 'Anna', city: 'Berlin' });
    const both = await f.contact({ first_name: 'Ben', city: '  ' });
    const optedOut = await f.contact({ first_name: 'Olga' });
    const nameless = await f.contact({ city: 'Rome' });
    const blank = await f.contact({ first_name: ' ' });
    const onlyB = await f.contact({ first_name: 'Cleo', other: 'x' });
    await f.addToList(a, anna.id, both.id, optedOut.id, nameless.id);
    await f.addToList(b, both.id, blank.id, onlyB.id, optedOut.id);
    await f.optOut(optedOut.phone);

    const campaign = await createCampaign(t, { templateId, listIds: [a, b] });
    // 2 of 5 skipped: over MAX_SKIPPED_PERCENT, so the start must accept it
    const start = await api(t).post(`/v1/campaigns/${campaign.id}/start`, { acceptSkips: true });
    expect(start.status).toBe(200);
    const run = await doneRun(campaign.id);
    expect(run).toMatchObject({ status: 'running', audience: 5 });

    const rows = await messagesOf(run.id);
    const byContact = new Map(rows.map((row) => [row.contact_id, row]));
    expect(rows).toHaveLength(5);
    expect(byContact.has(optedOut.id)).toBe(false);
    expect(byContact.get(anna.id)).toMatchObject({
      phone: anna.phone,
      kind: 'template',
      status: 'pending',
      params: ['Anna', 'Hi Anna from Berlin!'],
      error: null,
    });
    expect(byContact.get(both.id)?.params).toEqual(['Ben', 'Hi Ben from your city!']);
    expect(byContact.get(onlyB.id)?.status).toBe('pending');
    for (const skipped of [nameless, blank]) {
      expect(byContact.get(skipped.id)).toMatchObject({
        status: 'skipped',
        params: null,
        error: 'missing attribute "first_name"',
      });
    }
  });

  it('renders in SQL exactly as the TypeScript renderer does', async () => {
    const f = factories(t);
    const parameters = ['{{a}}-{{b|B}}', '{{c|}}', 'x{{ d | }}y', '{{e|fall back}} {x}'];
    const templateId = await f.template(parameters);
    const list = await f.list();
    const cases: Record<string, string>[] = [
      { a: 'A', c: 'C', e: 'E' },
      { a: ' A ', b: '', c: 'C' },
      { a: 'A' },
      { c: 'C' },
      { a: 'A', b: 'b\tb', c: '\n', d: 'D' },
      { a: "it's", c: '%s $1 \\', e: '🙂' },
    ];
    const contacts = [];
    for (const attributes of cases) contacts.push({ ...(await f.contact(attributes)), attributes });
    await f.addToList(list, ...contacts.map((c) => c.id));
    const campaign = await createCampaign(t, { templateId, listIds: [list] });
    await api(t).post(`/v1/campaigns/${campaign.id}/start`, { acceptSkips: true });
    const run = await doneRun(campaign.id);
    const rows = new Map((await messagesOf(run.id)).map((row) => [row.contact_id, row]));
    for (const contact of contacts) {
      const expected = renderTemplateParameters(parameters, contact.attributes, 1024);
      const row = rows.get(contact.id);
      expect(row, JSON.stringify(contact.attributes)).toMatchObject(
        expected.ok
          ? { status: 'pending', params: expected.params, error: null }
          : { status: 'skipped', params: null, error: expected.reason },
      );
    }
  });

  it('completes at once when everyone is opted out, and a one-off campaign with it', async () => {
    const f = factories(t);
    const list = await f.list();
    const out = await f.contact({});
    await f.addToList(list, out.id);
    await f.optOut(out.phone);
    const campaign = await createCampaign(t, { templateId: await f.template(), listIds: [list] });
    await api(t).post(`/v1/campaigns/${campaign.id}/start`);
    const [run] = await waitFor(() =>
      runsOf(t, campaign.id).then((r) => (r[0]?.status === 'completed' ? r : undefined)),
    );
    expect(run).toMatchObject({ audience: 0 });
    expect(run?.finishedAt).toBeTypeOf('string');
    expect((await api(t).get(`/v1/campaigns/${campaign.id}`)).body.status).toBe('completed');
  });

  it('resumes after an interruption without losing or doubling anyone', async () => {
    const { ids, runId } = await handRun(25, 15, 10);
    const { sql } = t.service.ctx.database;
    const ctx = t.service.ctx;

    expect(await snapshotRunBatch(ctx, runId, 10)).toBe('more'); // then the process "dies"
    expect(await messagesOf(runId)).toHaveLength(10);
    // two workers resume it at once (a retried job and a continuation)
    const drain = async () => {
      while ((await snapshotRunBatch(ctx, runId, 4)) === 'more') {}
    };
    await Promise.all([drain(), drain()]);
    const rows = await messagesOf(runId);
    expect(rows.map((row) => row.contact_id).sort()).toEqual([...ids].sort());
    const [state] = await sql<{ audience: number; done: boolean }[]>`
      select audience, snapshot_done_at is not null as done from runs where id = ${runId}`;
    expect(state).toEqual({ audience: 25, done: true });

    // replaying from the start (a cursor lost) adds nobody and counts nobody twice
    await sql`update runs set snapshot_cursor = null, snapshot_done_at = null where id = ${runId}`;
    while ((await snapshotRunBatch(ctx, runId, 10)) === 'more') {}
    expect(await messagesOf(runId)).toHaveLength(25);
    const [again] = await sql<
      { audience: number }[]
    >`select audience from runs where id = ${runId}`;
    expect(again?.audience).toBe(25);

    // a cancelled run takes nobody new
    await sql`update runs set status = 'cancelled', snapshot_cursor = null, snapshot_done_at = null where id = ${runId}`;
    expect(await snapshotRunBatch(ctx, runId, 10)).toBe('stopped');
  });
  it("leaves no row pending when a cancel comes while a batch's second half is inserted", async () => {
    const { ids, runId } = await handRun(12, 6, 6);
    const sorted = [...ids].sort();
    const campaignId = await campaignOf(runId);
    // Two uncommitted rows hold up each half's insert:
    // batch of 12 split at 4, the first half is contacts 0-5, the second 6-11.
    const first = await holdContact(runId, campaignId, sorted[0]);
    const second = await holdContact(runId, campaignId, sorted[6]);
    const batch = snapshotRunBatch(t.service.ctx, runId, 12, 4);
    await lockWaiters(2);
    // The cancel queues behind the first half, which holds the run row.
    const cancel = api(t).post(`/v1/campaigns/${campaignId}/cancel`);
    await lockWaiters(3);
    await first`rollback`;
    first.release();
    expect((await cancel).status).toBe(200);
    // Only now does the second half finish its insert, after the cancel committed.
    await second`rollback`;
    second.release();
    await batch;
    const rows = await messagesOf(runId);
    expect(rows.filter((row) => row.status === 'pending')).toEqual([]);
    expect(rows.map((row) => row.contact_id).sort()).toEqual(sorted.slice(0, 6));
  });

  it('leaves to the next batch a second half whose window changed while it was inserted', async () => {
    const { ids, runId } = await handRun(12, 6, 6);
    const { sql } = t.service.ctx.database;
    const sorted = [...ids].sort();
    const campaignId = await campaignOf(runId);
    await sql`update campaigns set send_window_mode = 'off' where id = ${campaignId}`;
    const first = await holdContact(runId, campaignId, sorted[0]);
    const second = await holdContact(runId, campaignId, sorted[6]);
    const batch = snapshotRunBatch(t.service.ctx, runId, 12, 4);
    await lockWaiters(2);
    // Both halves read "no window"; now it opens at 6 hours from now on the UTC clock (4 or 5
    // hours from now in Berlin, the contacts' phones' zone), before the second half commits.
    const clock = (hours: number) =>
      new Date(Date.now() + hours * 3_600_000).toISOString().slice(11, 16);
    await sql`update campaigns set send_window_mode = 'own', send_window_from = ${clock(6)}::time,
        send_window_to = ${clock(7)}::time, send_window_days = 127
      where id = ${campaignId}`;
    await first`rollback`;
    first.release();
    await second`rollback`;
    second.release();
    // the second half rolled back: the batch is not the last, whatever its size
    expect(await batch).toBe('more');
    const firstHalf = await sql<{ contactId: string; notBefore: Date | null }[]>`
      select contact_id as "contactId", next_attempt_at as "notBefore" from messages
      where run_id = ${runId} order by contact_id`;
    expect(firstHalf.map((row) => row.contactId)).toEqual(sorted.slice(0, 6));
    expect(firstHalf.every((row) => row.notBefore === null)).toBe(true);

    expect(await snapshotRunBatch(t.service.ctx, runId, 12, 4)).toBe('done');
    const secondHalf = await sql<{ contactId: string; waits: boolean }[]>`
      select contact_id as "contactId", next_attempt_at > now() + interval '3 hours' as waits
      from messages where run_id = ${runId} and contact_id > ${String(sorted[5])}
      order by contact_id`;
    expect(secondHalf).toEqual(sorted.slice(6).map((contactId) => ({ contactId, waits: true })));
  });

  it('splits a large batch between two transactions and commits a prefix each time', async () => {
    const { ids, runId } = await handRun(40, 30, 20);
    const { sql } = t.service.ctx.database;
    const ctx = t.service.ctx;

    // batches of 12 split at 4: each commits its first half, then its second
    expect(await snapshotRunBatch(ctx, runId, 12, 4)).toBe('more');
    const first = await messagesOf(runId);
    expect(first).toHaveLength(12);
    const [state] = await sql<{ cursor: string; audience: number }[]>`
      select snapshot_cursor as cursor, audience from runs where id = ${runId}`;
    const sorted = [...ids].sort();
    expect(state).toEqual({ cursor: sorted[11], audience: 12 });
    expect(first.map((row) => row.contact_id).sort()).toEqual(sorted.slice(0, 12));

    // two workers at once: a deadlock between one's second half and the other's batch is
    // PostgreSQL's to break; the loser's job is retried, as pg-boss would
    const drain = async () => {
      for (;;) {
        try {
          if ((await snapshotRunBatch(ctx, runId, 6, 2)) !== 'more') return;
        } catch {}
      }
    };
    await Promise.all([drain(), drain()]);
    const rows = await messagesOf(runId);
    expect(rows.map((row) => row.contact_id).sort()).toEqual(sorted);
    const [end] = await sql<{ audience: number; done: boolean }[]>`
      select audience, snapshot_done_at is not null as done from runs where id = ${runId}`;
    expect(end).toEqual({ audience: 40, done: true });
  });
});
