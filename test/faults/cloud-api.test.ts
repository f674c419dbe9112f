// Meta's Cloud API under faults, with two sending numbers (senders) on one fake Graph API: a
// 130429 storm on one number while the other keeps its pace; the token of one refused mid-run
// (190: the sender held, nothing lost, the run resumed by PATCH); Meta's retries of one webhook,
// concurrent and across a SIGKILL of the service (applied once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countersOffRecount } from '../helpers/counters';
import {
  FakeGraph,
  type GraphRequest,
  messagesValue,
  metaError,
  postSignedWebhook,
  wamid,
  webhookEnvelope,
} from '../helpers/fake-graph';
import { pace, perSecond } from '../helpers/pace';
import { waitFor } from '../helpers/service';
import { faultSeed, type Json, type Proc, Rig, seededRandom, sleep } from './rig';

const RATE = 40;
/** Recipients of number B's campaign (15 s at RATE) and of number A's (12.5 s plus the storm). */
const B_RECIPIENTS = 600;
const A_RECIPIENTS = 500;
const STORM_MS = 4000;
const HELD_RECIPIENTS = 400;
const WABA = '102290129340398';

type Number = {
  phoneNumberId: string;
  token: string;
  appSecret: string;
  verifyToken: string;
  id: string;
};
const a: Number = {
  phoneNumberId: '106540352240001',
  token: 'EAAnumberAtoken0123456789',
  appSecret: 'number-a-app-secret-0123',
  verifyToken: 'number-a-verify-0123',
  id: '',
};
const b: Number = {
  phoneNumberId: '106540352240002',
  token: 'EAAnumberBtoken0123456789',
  appSecret: 'number-b-app-secret-0123',
  verifyToken: 'number-b-verify-0123',
  id: '',
};

let rig: Rig;
let graph: FakeGraph;
let service: Proc;
beforeAll(async () => {
  graph = await FakeGraph.start();
  graph.addNumber(a.phoneNumberId, a.token);
  graph.addNumber(b.phoneNumberId, b.token);
  rig = await Rig.onFreshDatabase({ GRAPH_API_URL: graph.url, WEBHOOK_SENDERS_CACHE_SECONDS: '0' });
  service = await rig.spawn('all');
  for (const number of [a, b]) {
    const created = await rig.call('POST', '/v1/senders', {
      name: `Number ${number === a ? 'A' : 'B'}`,
      provider: 'cloud-api',
      ratePerSecond: RATE,
      credentials: credentialsOf(number),
    });
    if (created.status !== 201) throw new Error(`sender refused: ${JSON.stringify(created)}`);
    number.id = String(created.body.id);
  }
});
afterAll(async () => {
  await rig?.stop();
  await graph?.stop();
});

function credentialsOf(number: Number, accessToken = number.token) {
  return {
    phoneNumberId: number.phoneNumberId,
    businessAccountId: WABA,
    accessToken,
    appSecret: number.appSecret,
    verifyToken: number.verifyToken,
  };
}

/** The template sends that reached the fake for a number since `since` (an index of requests). */
function sendsOf(number: Number, since = 0): GraphRequest[] {
  return graph.requests
    .slice(since)
    .filter(
      (r) =>
        r.method === 'POST' &&
        r.path === `${number.phoneNumberId}/messages` &&
        (r.body as Json | undefined)?.type === 'template',
    );
}

const toOf = (r: GraphRequest) => String((r.body as Json).to);

/** Each of the campaign's recipients was accepted exactly once at the fake; no row failed. */
async function expectEachOnce(number: Number, campaignId: string, recipients: number, since = 0) {
  expect(await rig.counts(campaignId)).toEqual({ sent: recipients });
  const accepted = sendsOf(number, since)
    .filter((r) => r.status === 200)
    .map(toOf);
  expect(accepted).toHaveLength(recipients);
  expect(new Set(accepted).size).toBe(recipients);
  const mine = new Set([
    ...(await rig.phones(campaignId, 'sent')),
    ...(await rig.phones(campaignId, 'delivered')),
    ...(await rig.phones(campaignId, 'read')),
  ]);
  expect(accepted.every((to) => mine.has(to))).toBe(true);
}

async function senderStatus(number: Number): Promise<Json> {
  return (await rig.call('GET', `/v1/senders/${number.id}`)).body;
}

describe('two Cloud API numbers', () => {
  it('a 130429 storm on number A: B keeps its pace, A resumes after it, nobody failed, no duplicate', async () => {
    const random = seededRandom(faultSeed('130429 storm'));
    const onA = await rig.campaign(A_RECIPIENTS, 0, { senderId: a.id });
    const onB = await rig.campaign(B_RECIPIENTS, 100_000, { senderId: b.id });
    let storm: { from: number; until: number } | undefined;
    graph.answerWith((request) => {
      if (!request.path.startsWith(`${a.phoneNumberId}/`)) return undefined;
      if (!storm && sendsOf(a).length >= 100)
        storm = { from: Date.now(), until: Date.now() + STORM_MS };
      if (!storm || Date.now() >= storm.until) return undefined;
      // Meta answers 130429 with a 400 (HTTP 429 for some), a Retry-After only sometimes
      const answer = metaError(130429, 'Rate limit hit', random() < 0.5 ? 400 : 429);
      return random() < 0.5 ? { ...answer, headers: { 'retry-after': '1' } } : answer;
    });
    await rig.startCampaign(onA);
    await rig.startCampaign(onB);
    await rig.completed(onB, 60_000);
    await rig.completed(onA, 60_000);
    graph.answerWith(undefined);
    if (!storm) throw new Error('the storm never started');
    const { from, until } = storm;

    await expectEachOnce(a, onA, A_RECIPIENTS);
    await expectEachOnce(b, onB, B_RECIPIENTS);
    const limited = sendsOf(a).filter((r) => r.status !== 200);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((r) => r.receivedAt >= from && r.receivedAt < until + 100)).toBe(true);
    // A waits out the storm: probes, not its rate (4 s at 40/s would be 160 sends)
    expect(limited.length).toBeLessThan((RATE * STORM_MS) / 1000 / 4);
    expect(sendsOf(a).some((r) => r.receivedAt >= until && r.status === 200)).toBe(true);

    const bTimes = sendsOf(b).map((r) => r.receivedAt);
    const bPace = pace(bTimes);
    const bInStorm = bTimes.filter((t) => t >= from && t < until).length;
    const sorted = [...bTimes].sort((x, y) => x - y);
    let bGap = 0;
    for (let i = 1; i < sorted.length; i++)
      if ((sorted[i] as number) >= from && (sorted[i - 1] as number) < until)
        bGap = Math.max(bGap, (sorted[i] as number) - (sorted[i - 1] as number));
    const aAfter = sendsOf(a).filter((r) => r.receivedAt >= until && r.status === 200);
    const resumedAfter = (Math.min(...aAfter.map((r) => r.receivedAt)) - until) / 1000;
    console.info(
      `[faults] 130429 storm of ${STORM_MS / 1000} s on A: ${limited.length} answers 130429; B ${bTimes.length} sends in ${bPace.seconds.toFixed(2)} s = ${bPace.rate.toFixed(1)}/s (set ${RATE}/s), busiest second ${bPace.busiest}, ${bInStorm} during the storm (longest gap ${bGap} ms); A sent again ${resumedAfter.toFixed(2)} s after it; B per second from its first send: ${perSecond(sorted).join(' ')} (storm ${((from - (sorted[0] as number)) / 1000).toFixed(1)}–${((until - (sorted[0] as number)) / 1000).toFixed(1)} s)`,
    );
    // B's pace, whatever happens to A. Never above it over the run, and no one-second window
    // above it by more than 10% (a send up to LATE_MS late still goes, so a window can hold a
    // send or two more: the three workers' test has the same bound). Below it, loosely: a
    // starved event loop hands a late slot back rather than send it in a burst, and on this
    // shared 2-core machine B measured 34/s to 38/s (set 40/s) at a load of 8, 22/s to 28/s at
    // 10, its seconds anywhere from 11 to 39 sends; a quiet machine holds 5%
    // (FAULT_STRICT_PACE=1 asserts it). Whatever the load, B's sends during A's storm keep
    // B's pace over its run: had B waited on A's holds (3 s of the 4), it would have sent a
    // quarter of it; half leaves room for the load's ups and downs. And B never stopped for a
    // second, A's shortest wait.
    expect(bPace.busiest).toBeLessThanOrEqual(Math.floor(RATE * 1.1));
    expect(bPace.rate).toBeLessThanOrEqual(RATE * 1.03);
    expect(bPace.rate).toBeGreaterThan(RATE * 0.25);
    expect(bInStorm).toBeGreaterThan(((bPace.rate * STORM_MS) / 1000) * 0.5);
    // the storm fell within B's run
    expect(sorted[0]).toBeLessThan(from);
    expect(sorted.at(-1)).toBeGreaterThan(until);
    expect(bGap).toBeLessThan(1000);
    if (process.env.FAULT_STRICT_PACE === '1') {
      expect(bPace.rate).toBeGreaterThan(RATE * 0.95);
      expect(bInStorm).toBeGreaterThan(((RATE * STORM_MS) / 1000) * 0.95);
    }
    // A is back within seconds of the storm's end. Its wait doubles while the storm lasts (1, 2,
    // 4 s; a Retry-After of 1 s shortens one): the fourth 130429, if one comes right at the end,
    // holds A 8 s after it (7.2 s measured), and a loaded machine claims its rows late.
    expect(resumedAfter).toBeLessThan(10);
    expect(await countersOffRecount(rig.sql)).toEqual([]);
  });

  it('190 mid-run: A is held (auth_failed), stops sending, loses nothing, and completes once its token is replaced', async () => {
    // a worker process of its own too: the hold and the PATCH (answered by the API) must reach
    // whichever process dispatches A's run
    await rig.spawn('worker');
    const since = graph.requests.length;
    const onA = await rig.campaign(HELD_RECIPIENTS, 200_000, { senderId: a.id });
    const renewed = 'EAAnumberArenewed0123456789';
    let revokedAt: number | undefined;
    graph.answerWith(() => {
      // after 100 sends, Meta takes A's token back: every request with it answers 190
      if (revokedAt === undefined && sendsOf(a, since).length >= 100) {
        revokedAt = Date.now();
        graph.addNumber(a.phoneNumberId, renewed);
      }
      return undefined;
    });
    await rig.startCampaign(onA);
    const held = await waitFor(
      async () => {
        const sender = await senderStatus(a);
        return sender.status === 'auth_failed' ? sender : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'sender A to be held' },
    );
    expect(String(held.statusReason)).toContain('190');
    // B is untouched
    expect((await senderStatus(b)).status).toBe('active');
    // What was in flight at the hold arrives; then nothing reaches the fake for A
    await sleep(2000);
    const atHold = sendsOf(a, since).length;
    await sleep(4000);
    const refused = sendsOf(a, since).filter((r) => r.status === 401);
    console.info(
      `[faults] 190 mid-run: ${refused.length} sends answered 190 before the hold, ${sendsOf(a, since).length - atHold} after it`,
    );
    expect(sendsOf(a, since).length).toBe(atHold);
    expect(refused.length).toBeGreaterThan(0);
    // no hammering: only the sends already in flight or in their slot when the first 190 came
    expect(refused.length).toBeLessThanOrEqual(RATE);
    const campaign = await rig.call('GET', `/v1/campaigns/${onA}`);
    expect(campaign.body.status).toBe('running');
    const waiting = await rig.counts(onA);
    expect(waiting.failed ?? 0).toBe(0);
    // every send Meta took before the 190 is stored sent; the rest wait, pending
    expect(waiting.sent).toBe(sendsOf(a, since).filter((r) => r.status === 200).length);
    expect(waiting.sent).toBeGreaterThanOrEqual(90);
    expect((waiting.sent ?? 0) + (waiting.pending ?? 0)).toBe(HELD_RECIPIENTS);

    const fixed = await rig.call('PATCH', `/v1/senders/${a.id}`, {
      credentials: credentialsOf(a, renewed),
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.status).toBe('active');
    expect(JSON.stringify(fixed.body)).not.toContain(renewed);
    await rig.completed(onA, 60_000);
    graph.answerWith(undefined);
    await expectEachOnce(a, onA, HELD_RECIPIENTS, since);
    const after = sendsOf(a, since).filter((r) => r.receivedAt > (revokedAt ?? 0) + 3000);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => r.bearer === renewed && r.status === 200)).toBe(true);
    a.token = renewed;
    const logged = (text: string) =>
      rig.processes
        .filter((p) => p.output().includes(text))
        .map((p) => p.name)
        .join(', ');
    console.info(
      `[faults] 190 mid-run: held by ${logged('sender auth_failed: it sends nothing until fixed') || 'no log'}; the PATCH answered by ${rig.processes[0]?.name}`,
    );
    expect(await countersOffRecount(rig.sql)).toEqual([]);
  });

  it("Meta's retries of one webhook, concurrent and across a SIGKILL, are applied once", async () => {
    const onB = await rig.campaign(3, 300_000, {
      senderId: b.id,
      followUp: { body: 'Thanks {{first_name}}!' },
    });
    await rig.startCampaign(onB);
    await rig.completed(onB, 30_000);
    const [message] = await rig.sql<{ id: number; phone: string; wamid: string }[]>`
      select id, phone, provider_message_id as wamid from messages
      where campaign_id = ${onB} order by id limit 1`;
    if (!message) throw new Error('no message');
    const digits = message.phone.replace(/\D/g, '');
    const now = Math.floor(Date.now() / 1000);
    const pricing = {
      billable: true,
      pricing_model: 'PMP',
      category: 'marketing',
      type: 'regular',
    };
    const reply = wamid();
    const body = webhookEnvelope(
      'messages',
      messagesValue(b.phoneNumberId, {
        statuses: [
          {
            id: message.wamid,
            status: 'delivered',
            timestamp: String(now),
            recipient_id: digits,
            pricing,
          },
          {
            id: message.wamid,
            status: 'read',
            timestamp: String(now + 1),
            recipient_id: digits,
            pricing,
          },
        ],
        contacts: [{ profile: { name: 'Nina' }, wa_id: digits }],
        messages: [
          {
            from: digits,
            id: reply,
            timestamp: String(now + 2),
            type: 'text',
            text: { body: 'Yes please' },
            context: { from: '15550783881', id: message.wamid },
          },
        ],
      }),
      WABA,
    );
    const raw = JSON.stringify(body);
    // a second API process on the same database: Meta's retries reach either
    const other = await rig.spawn('api');
    const post = async (to: Proc = service) => {
      if (!to.base) throw new Error(`${to.name} serves no API`);
      return postSignedWebhook(`${to.base}/webhooks/whatsapp`, raw, b.appSecret);
    };
    const unapplied = async () => {
      const [row] = await rig.sql<{ n: number }[]>`
        select count(*)::int as n from webhook_events where processed_at is null`;
      return row?.n ?? 0;
    };
    const applied = () =>
      waitFor(async () => (await unapplied()) === 0, {
        timeoutMs: 30_000,
        intervalMs: 100,
        what: 'every stored webhook to be applied',
      });
    const stateOf = async () => {
      const [row] = await rig.sql<Json[]>`
        select status::text, delivered_at as "deliveredAt", read_at as "readAt",
          replied_at as "repliedAt", pricing_category as "pricingCategory", billable
        from messages where id = ${message.id}`;
      return row;
    };
    const eventsBefore = await storedEvents();
    // Meta's post, applied
    expect((await post()).status).toBe(200);
    await applied();
    const first = await stateOf();
    // its retries, six at once, to both processes
    const together = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(i % 2 === 0 ? service : other)),
    );
    expect(together.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    await applied();
    // a retry taken (200), the service killed at once, before or while it applies it
    expect((await post()).status).toBe(200);
    await rig.kill(service);
    const left = await unapplied();
    service = await rig.spawn('all');
    // and Meta's retries after the restart, to each process
    expect((await post(service)).status).toBe(200);
    expect((await post(other)).status).toBe(200);
    await applied();
    console.info(
      `[faults] webhook retries: the post before the SIGKILL was ${left > 0 ? 'not applied yet' : 'applied already'} when the service died`,
    );
    // applied once: what the first post set, nothing later moved
    expect(await stateOf()).toEqual(first);
    // every post is stored (what Meta sent is kept), and none is parked with an error
    expect((await storedEvents()) - eventsBefore).toBe(10);
    const errors = await rig.sql`select id, error from webhook_events where error is not null`;
    expect(errors).toEqual([]);

    const [row] = await rig.sql<Json[]>`
      select status::text, delivered_at is not null as delivered, read_at is not null as read,
        replied_at is not null as replied, pricing_category as "pricingCategory", billable
      from messages where id = ${message.id}`;
    expect(row).toEqual({
      status: 'read',
      delivered: true,
      read: true,
      replied: true,
      pricingCategory: 'marketing',
      billable: true,
    });
    const inbound = await rig.sql<{ id: string; attributed: number | null }[]>`
      select provider_message_id as id, attributed_message_id as attributed
      from inbound_messages where phone = ${message.phone}`;
    expect(inbound).toEqual([{ id: reply, attributed: message.id }]);
    // one follow-up, sent once through B
    await waitFor(
      async () => {
        const [f] = await rig.sql<{ status: string }[]>`
          select status::text from messages where campaign_id = ${onB} and kind = 'followup'`;
        return f?.status === 'sent';
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the follow-up to be sent' },
    );
    const followUps = await rig.sql`
      select id from messages where campaign_id = ${onB} and kind = 'followup'`;
    expect(followUps).toHaveLength(1);
    const texts = graph.requests.filter(
      (r) =>
        r.path === `${b.phoneNumberId}/messages` &&
        (r.body as Json).type === 'text' &&
        toOf(r) === digits,
    );
    expect(texts).toHaveLength(1);

    const stats = (await rig.call('GET', `/v1/campaigns/${onB}/stats`)).body;
    expect(stats).toMatchObject({
      audience: 3,
      sent: 3,
      delivered: 1,
      read: 1,
      replied: 1,
      failed: 0,
      followUpsSent: 1,
      windowsOpen: 1,
    });
    expect(stats.byPricingCategory).toEqual({ marketing: { billable: 1, free: 0 } });
    const conversations = (await rig.call('GET', '/v1/conversations')).body.data as Json[];
    expect(conversations.filter((c) => c.phone === message.phone)).toHaveLength(1);
    const thread = await rig.call(
      'GET',
      `/v1/conversations/${encodeURIComponent(message.phone)}/messages`,
    );
    const theirs = (thread.body.data as Json[]).filter((m) => m.direction === 'in');
    expect(theirs, JSON.stringify(thread.body)).toHaveLength(1);
    // the counters behind the stats and the overview, recounted from the rows: no drift
    expect(await countersOffRecount(rig.sql)).toEqual([]);
  });
});

async function storedEvents(): Promise<number> {
  const [row] = await rig.sql<{ n: number }[]>`
    select count(*)::int as n from webhook_events where source = 'cloud-api'`;
  return row?.n ?? 0;
}
