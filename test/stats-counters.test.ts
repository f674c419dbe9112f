import { describe, expect, it } from 'vitest';
import { COMPACTION_LOCK_KEY, compactCounts } from '../src/stats/compact-counts';
import { api, createCampaign, type Json, runsOf, startCampaign } from './helpers/api';
import { compactUntil } from './helpers/counters';
import { factories } from './helpers/factories';
import { useTestService, waitFor } from './helpers/service';
import {
  countersOffRecount,
  expectCountersEqualRecount,
  runWithEveryOutcome,
  statsOf,
} from './helpers/stats';
import { ack, inbound, postWebhook, waitApplied } from './helpers/webhooks';

// The stats endpoint sums counters kept by triggers on messages; every test here changes message
// rows the way the service does (dispatcher, fake provider, webhook, API) and then holds the
// counters to a recount of the rows.

const t = useTestService({ env: { SEND_MAX_ATTEMPTS: '1' } });

async function messagesOf(campaignId: string): Promise<Json[]> {
  return (await api(t).get(`/v1/campaigns/${campaignId}/messages?limit=1000`)).body.data as Json[];
}

/** Until no message of the campaign waits or is on its way: its rows stop moving. */
async function waitSettled(campaignId: string) {
  await waitFor(
    async () =>
      (await messagesOf(campaignId)).every(
        (m) => !['pending', 'sending'].includes(String(m.status)),
      ),
    { what: 'the messages to settle' },
  );
}

async function waitCompleted(campaignId: string) {
  await waitFor(
    async () => (await api(t).get(`/v1/campaigns/${campaignId}`)).body.status === 'completed',
    { timeoutMs: 20_000, what: 'the campaign to complete' },
  );
}

/** Posts every body at once (the webhook stores them concurrently), then waits for the apply. */
async function postAll(bodies: unknown[]) {
  const answers = await Promise.all(bodies.map((body) => postWebhook(t, body)));
  expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
  await waitApplied(t);
}

/** Acks (with duplicates and stale ones) and replies (twice, some STOP) for `templates`. */
function acksAndReplies(templates: Json[]) {
  const bodies: unknown[] = [];
  templates.forEach((m, i) => {
    const id = String(m.providerMessageId);
    const phone = String(m.phone);
    bodies.push(ack(id, phone, 'delivered'), ack(id, phone, 'delivered'));
    if (i % 2 === 0) bodies.push(ack(id, phone, 'viewed'), ack(id, phone, 'sent'));
    if (i % 3 === 0) {
      const reply = inbound(phone, { quotedMsgId: id, body: i % 9 === 0 ? 'STOP' : 'Yes' });
      bodies.push(reply, reply, inbound(phone, { quotedMsgId: id }));
    }
  });
  return bodies;
}

describe('stats counters equal a recount of the rows', () => {
  it('after the snapshot, sends of every outcome, acks, replies, a follow-up, a retry', async () => {
    const run = await runWithEveryOutcome(t);
    await expectCountersEqualRecount(t, run.id);
    const { contacts: c, providerId } = run;
    await postAll([
      ack(providerId(c.delivered.phone), c.delivered.phone, 'delivered'),
      ack(providerId(c.read.phone), c.read.phone, 'viewed'),
      inbound(c.read.phone, { quotedMsgId: providerId(c.read.phone) }),
      inbound(c.stopped.phone, { body: 'STOP', quotedMsgId: providerId(c.stopped.phone) }),
    ]);
    await waitFor(async () => (await statsOf(t, run.id)).followUpsSent === 1, {
      what: 'the follow-up to be sent',
    });
    await expectCountersEqualRecount(t, run.id);

    // the provider takes everything now: the retried failed and unknown rows become sent
    t.provider.respondWith(() => undefined);
    const retried = await api(t).post(`/v1/campaigns/${run.id}/retry`, {
      statuses: ['failed', 'unknown'],
    });
    expect(retried.body).toMatchObject({ requeued: 2 });
    await waitCompleted(run.id);
    const stats = await statsOf(t, run.id);
    expect(stats).toMatchObject({ sent: 6, failed: 0, unknown: 0, replied: 2 });
    await expectCountersEqualRecount(t, run.id);
  }, 60_000);

  it('after a cancel turns the unsent rows to skipped', async () => {
    const id = await startCampaign(t, 20, { ratePerSecond: 2 });
    await waitFor(async () => Number((await statsOf(t, id)).sent) >= 1, { what: 'a first send' });
    expect((await api(t).post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    await waitSettled(id); // a send in flight at the cancel still lands
    const stats = await statsOf(t, id);
    expect(stats.skipped).toBeGreaterThan(0);
    expect(stats.pending).toBe(0);
    await expectCountersEqualRecount(t, id);
  }, 30_000);

  it('count a phone that replies in two runs once for the campaign and once in each run', async () => {
    const f = factories(t);
    const templateId = await f.template([]);
    const listId = await f.list();
    for (let i = 0; i < 3; i++) await f.addToList(listId, (await f.contact()).id);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      schedule: { cron: '*/2 * * * * *', timezone: 'UTC' },
    });
    const id = String(campaign.id);
    const runs = await waitFor(
      async () => {
        const all = await runsOf(t, id);
        const done = all.filter((r) => r.status === 'completed');
        return done.length >= 2 ? done.slice(0, 2) : undefined;
      },
      { what: 'two completed runs' },
    );
    await api(t).post(`/v1/campaigns/${id}/cancel`);
    const rows = (await messagesOf(id)).filter((m) => m.status === 'sent');
    const [first, second] = runs.map((r) => rows.filter((m) => m.runId === r.id));
    const phone = String(first?.[0]?.phone);
    const inSecond = second?.find((m) => m.phone === phone);
    if (!first?.[0] || !inSecond) throw new Error('the phone is not in both runs');
    await postAll([
      inbound(phone, { quotedMsgId: String(first[0].providerMessageId) }),
      inbound(phone, { quotedMsgId: String(inSecond.providerMessageId) }),
    ]);
    expect((await statsOf(t, id)).replied).toBe(1);
    expect((await statsOf(t, id, `?run=${runs[0]?.id}`)).replied).toBe(1);
    expect((await statsOf(t, id, `?run=${runs[1]?.id}`)).replied).toBe(1);
    await expectCountersEqualRecount(t, id);
  }, 30_000);

  it('after many concurrent acks, duplicate acks and replies', async () => {
    const id = await startCampaign(t, 40, {
      ratePerSecond: 100,
      followUp: { body: 'Thanks {{first_name}}!' },
    });
    await waitCompleted(id);
    const templates = (await messagesOf(id)).filter((m) => m.kind === 'template');
    await postAll(acksAndReplies(templates));
    const replied = templates.filter((_, i) => i % 3 === 0).length;
    const stats = await statsOf(t, id);
    expect(stats).toMatchObject({ sent: 40, delivered: 40, read: 20, replied });
    await waitSettled(id);
    await expectCountersEqualRecount(t, id);
  }, 60_000);

  it('count open windows exactly, in the current hour and after it', async () => {
    const id = await startCampaign(t, 6, { ratePerSecond: 100 });
    await waitCompleted(id);
    const templates = (await messagesOf(id)).filter((m) => m.kind === 'template');
    await postAll(
      templates.map((m) => inbound(String(m.phone), { quotedMsgId: String(m.providerMessageId) })),
    );
    expect((await statsOf(t, id)).windowsOpen).toBe(6);
    // Time travel: the windows (24 h from now) are moved to both sides of now and of the hour
    // boundaries, which only the passing of time does in the service.
    const { sql } = t.service.ctx.database;
    const offsets = [
      '-2 hours',
      '-1 second',
      '+2 minutes',
      '+30 minutes',
      '+59 minutes',
      '+3 hours',
    ];
    for (const [i, m] of templates.entries())
      await sql`
        update conversations set window_expires_at = now() + ${offsets[i] ?? ''}::interval
        where phone = ${String(m.phone)}`;
    expect((await statsOf(t, id)).windowsOpen).toBe(4);
    await expectCountersEqualRecount(t, id);
    // none of the hours past is left once a compaction (this one or the service's) has run
    await compactUntil(sql, async () => {
      const [past] = await sql<{ n: number }[]>`
        select count(*)::int as n from window_counts
        where expires_hour < date_trunc('hour', now(), 'UTC')`;
      return past?.n === 0 || undefined;
    });
    await expectCountersEqualRecount(t, id);
  }, 30_000);
});

describe('compaction', () => {
  it('folds each key into one row and loses nothing while writers race it', async () => {
    const id = await startCampaign(t, 40, {
      ratePerSecond: 200,
      followUp: { body: 'Thanks {{first_name}}!' },
    });
    const { sql } = t.service.ctx.database;
    let writing = true;
    let folds = 0;
    // compactions back to back for as long as the sends, acks and replies go on
    const compacting = (async () => {
      while (writing) {
        await compactCounts(sql);
        folds++;
      }
    })();
    try {
      await waitCompleted(id);
      const templates = (await messagesOf(id)).filter((m) => m.kind === 'template');
      await postAll(acksAndReplies(templates));
      await waitSettled(id);
    } finally {
      writing = false;
      await compacting;
    }
    expect(folds).toBeGreaterThan(5);
    await expectCountersEqualRecount(t, id);

    const left = await compactUntil(sql, async () => {
      const [row] = await sql<{ rows: number; keys: number; unfolded: number }[]>`
        select count(*)::int as rows, count(distinct (run_id, kind, status))::int as keys,
          count(*) filter (where not folded)::int as unfolded
        from message_counts where campaign_id = ${id}`;
      return row?.unfolded === 0 ? row : undefined;
    });
    expect(left.rows).toBe(left.keys);
    await expectCountersEqualRecount(t, id);
  }, 60_000);

  it('is skipped by a process while another one holds it', async () => {
    const { sql } = t.service.ctx.database;
    await sql
      .begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${COMPACTION_LOCK_KEY})`;
        await tx`insert into message_counts (campaign_id, run_id, kind, status, n)
          values (gen_random_uuid(), null, 'template', 'sent', 0)`;
        // does not wait for the lock (it would wait for ever: this transaction holds it)
        expect(await compactCounts(sql)).toBe(0);
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
    expect(await countersOffRecount(sql)).toEqual([]);
  });
});
