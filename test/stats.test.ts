import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/http/pagination';
import { toStats } from '../src/stats/get-stats';
import { api, type Json } from './helpers/api';
import { useTestService, waitFor } from './helpers/service';
import { runWithEveryOutcome, statsOf } from './helpers/stats';
import { ack, deliver, inbound, postWebhook, waitApplied } from './helpers/webhooks';

let run: Awaited<ReturnType<typeof runWithEveryOutcome>>;

const expected = {
  audience: 7,
  pending: 0,
  sent: 4,
  delivered: 3,
  read: 1,
  failed: 1,
  skipped: 1,
  unknown: 1,
  replied: 2,
  optedOut: 1,
  followUpsSent: 1,
  windowsOpen: 2,
  deliveryRate: 0.75,
  readRate: 0.25,
  replyRate: 0.5,
  // the chat-api gateway gives neither error codes nor prices
  byErrorCode: {},
  byPricingCategory: {},
  // no PRICE_CARD
  estimatedCost: null,
  expired: 0,
  // no holdout: null, not zero
  heldOut: null,
  holdoutReplied: null,
  uplift: null,
};

const t = useTestService({ env: { SEND_MAX_ATTEMPTS: '1' } });
beforeAll(async () => {
  run = await runWithEveryOutcome(t);
  const { contacts: c, providerId } = run;
  await deliver(t, {
    ack: [
      ack(providerId(c.delivered.phone), c.delivered.phone, 'delivered').ack,
      ack(providerId(c.read.phone), c.read.phone, 'delivered').ack,
      ack(providerId(c.read.phone), c.read.phone, 'viewed').ack,
      ack(providerId(c.stopped.phone), c.stopped.phone, 'delivered').ack,
    ].flat(),
    instanceId: '777',
  });
  await deliver(t, inbound(c.read.phone, { quotedMsgId: providerId(c.read.phone) }));
  await deliver(
    t,
    inbound(c.stopped.phone, { body: 'STOP', quotedMsgId: providerId(c.stopped.phone) }),
  );
  // the follow-up to the reply goes out through the direct dispatcher
  await waitFor(async () => (await statsOf(t, run.id)).followUpsSent === 1, {
    what: 'the follow-up to be sent',
  });
}, 60_000);

describe('GET /v1/campaigns/{id}/stats', () => {
  it('counts every outcome by the definitions of docs/design.md', async () => {
    expect(await statsOf(t, run.id)).toEqual(expected);
    expect(await statsOf(t, run.id, `?run=${run.runId}`)).toEqual(expected);
  });

  it('does not move under concurrent duplicate and stale acks and a repeated reply', async () => {
    const { contacts: c, providerId } = run;
    const body = {
      ack: [
        ack(providerId(c.read.phone), c.read.phone, 'delivered').ack,
        ack(providerId(c.read.phone), c.read.phone, 'viewed').ack,
        ack(providerId(c.delivered.phone), c.delivered.phone, 'sent').ack,
        ack(providerId(c.delivered.phone), c.delivered.phone, 'delivered').ack,
      ].flat(),
      instanceId: '777',
    };
    const reply = inbound(c.read.phone, { quotedMsgId: providerId(c.read.phone) });
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => postWebhook(t, body)),
      postWebhook(t, reply),
      postWebhook(t, reply),
    ]);
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    await waitApplied(t);
    expect(await statsOf(t, run.id)).toEqual(expected);
  });

  it('answers 404 for an unknown campaign or run, 400 for a malformed run id', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await api(t).get(`/v1/campaigns/${run.id}/stats?run=${unknown}`)).status).toBe(404);
    const bad = await api(t).get(`/v1/campaigns/${run.id}/stats?run=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBeDefined();
  });
});

describe('analyst views', () => {
  it('run_stats and message_facts say what the endpoint says', async () => {
    const { sql } = t.service.ctx.database;
    const [row] = await sql<Parameters<typeof toStats>[0][]>`
      select * from run_stats where run_id = ${run.runId}`;
    if (!row) throw new Error('no run_stats row');
    expect(await statsOf(t, run.id)).toMatchObject(toStats(row));
    expect(row).toMatchObject({ delivery_rate: 0.75, read_rate: 0.25, reply_rate: 0.5 });
    const facts = await sql<{ kind: string; status: string; phone: string; sent_at: string }[]>`
      select * from message_facts where campaign_id = ${run.id} order by message_id`;
    const templates = facts.filter((f) => f.kind === 'template');
    expect(templates).toHaveLength(expected.audience);
    const count = (...statuses: string[]) =>
      templates.filter((f) => statuses.includes(f.status)).length;
    expect(count('sent', 'delivered', 'read')).toBe(expected.sent);
    expect(count('delivered', 'read')).toBe(expected.delivered);
    expect(count('failed')).toBe(expected.failed);
    const page = (await api(t).get(`/v1/campaigns/${run.id}/messages?limit=1000`)).body
      .data as Json[];
    expect(facts.map((f) => f.phone)).toEqual(page.map((m) => m.phone));
  });
});

describe('GET /v1/campaigns/{id}/messages', () => {
  it('filters by status and run and pages in id order', async () => {
    const all = (await api(t).get(`/v1/campaigns/${run.id}/messages?limit=1000`)).body;
    const rows = all.data as Json[];
    expect(rows).toHaveLength(8); // 7 templates and the follow-up
    expect(all.nextCursor).toBeNull();
    const seen: unknown[] = [];
    let cursor: unknown = null;
    do {
      const query: string = cursor ? `&cursor=${String(cursor)}` : '';
      const page = (await api(t).get(`/v1/campaigns/${run.id}/messages?limit=3${query}`)).body;
      seen.push(...(page.data as Json[]).map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(rows.map((m) => m.id));
    // one run in every state: pages taken per state from the index, merged in id order
    const ofRun: unknown[] = [];
    cursor = null;
    do {
      const query: string = cursor ? `&cursor=${String(cursor)}` : '';
      const page = (
        await api(t).get(`/v1/campaigns/${run.id}/messages?run=${run.runId}&limit=2${query}`)
      ).body;
      ofRun.push(...(page.data as Json[]).map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(rows.map((m) => m.status)).size).toBeGreaterThan(3);
    expect(ofRun).toEqual(rows.filter((m) => m.runId === run.runId).map((m) => m.id));
    const failed = (
      await api(t).get(`/v1/campaigns/${run.id}/messages?status=failed&run=${run.runId}`)
    ).body.data as Json[];
    expect(failed.map((m) => m.phone)).toEqual([run.contacts.refused.phone]);
    expect((await api(t).get(`/v1/campaigns/${run.id}/messages?status=nope`)).status).toBe(400);
    expect((await api(t).get(`/v1/campaigns/${run.id}/messages?cursor=zz`)).status).toBe(400);
    // a forged id past PostgreSQL's bigint: a 400, never a 500
    const forged = encodeCursor('9999999999999999999');
    expect((await api(t).get(`/v1/campaigns/${run.id}/messages?cursor=${forged}`)).status).toBe(
      400,
    );
  });

  it('streams the same rows as CSV with formulas defused', async () => {
    const response = await t.request(`/v1/campaigns/${run.id}/messages`, {
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).split('\r\n').filter(Boolean);
    // the first columns as they always were; columns added since come after them
    expect(lines[0]).toMatch(
      /^id,runId,contactId,phone,kind,status,providerMessageId,error,attempts,sentAt,deliveredAt,readAt,repliedAt,/,
    );
    const json = (await api(t).get(`/v1/campaigns/${run.id}/messages?limit=1000`)).body
      .data as Json[];
    expect(lines).toHaveLength(json.length + 1);
    const first = json[0];
    expect(lines[1]?.split(',').slice(0, 6)).toEqual([
      first?.id,
      first?.runId,
      first?.contactId,
      `'${String(first?.phone)}`,
      first?.kind,
      first?.status,
    ]);
    const refused = lines.find((l) => l.includes(run.contacts.refused.phone));
    expect(refused).toContain(`"'=HYPERLINK(""http://x.test"",""y"")"`);
    const onlyFailed = await t.request(`/v1/campaigns/${run.id}/messages?status=failed`, {
      headers: { accept: 'text/csv' },
    });
    expect((await onlyFailed.text()).split('\r\n').filter(Boolean)).toHaveLength(2);
  });
});

describe('/metrics', () => {
  it('shows the figures across campaigns', async () => {
    const text = await (await t.request('/metrics')).text();
    expect(text).toContain('wa_campaign_messages{figure="sent"} 4');
    expect(text).toContain('wa_campaign_messages{figure="replied"} 2');
    expect(text).toContain('wa_campaign_messages{figure="windows_open"} 2');
  });
});
