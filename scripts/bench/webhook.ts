import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { freePort } from '../../src/db/embedded';
import {
  benchServer,
  dropDatabase,
  type Figure,
  freshDatabase,
  startServiceProcess,
} from './harness';
import { closedLoop, pacedLoad, percentile } from './load';

const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 32);
const SECRET = 'bench-webhook-secret-0123456789';
const MESSAGES = 10_000;
const root = fileURLToPath(new URL('../..', import.meta.url));

const phoneOf = (i: number) => `7999${String(1_000_000 + (i % MESSAGES))}`;
const idOf = (i: number) => `true_${phoneOf(i)}@c.us_BENCH${i % MESSAGES}`;
const statuses = ['sent', 'delivered', 'read'];

/** Single-event bodies: nine acks of known messages to one customer reply, as traffic goes. */
function bodyOf(i: number): string {
  if (i % 10 === 9) {
    const chatId = `${phoneOf(i)}@c.us`;
    return JSON.stringify({
      messages: [
        {
          id: `false_${chatId}_R${i}_${process.hrtime.bigint()}`,
          body: 'Tell me more',
          fromMe: false,
          self: 0,
          author: chatId,
          chatId,
          time: Math.floor(Date.now() / 1000),
          type: 'chat',
          senderName: 'Bench',
          quotedMsgId: idOf(i),
        },
      ],
      instanceId: '777',
    });
  }
  return JSON.stringify({
    ack: [{ id: idOf(i), chatId: `${phoneOf(i)}@c.us`, status: statuses[i % 3] }],
    instanceId: '777',
  });
}

const APP_SECRET = 'bench-app-secret-0123456789';
const PHONE_NUMBER_ID = '106540352242922';
const WABA_ID = '102290129340398';
/** The default sender as a Cloud API number, so that its app secret signs the Cloud API bodies. */
const cloudApiEnv = {
  WHATSAPP_ACCESS_TOKEN: 'bench-access-token',
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_BUSINESS_ACCOUNT_ID: WABA_ID,
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
  // no template sync: it would call Meta's real Graph API with the bench's token
  TEMPLATE_SYNC_MINUTES: '0',
};

/** The same traffic as Meta posts it: nine statuses of known messages to one customer reply. */
function cloudBodyOf(i: number): string {
  const value =
    i % 10 === 9
      ? {
          contacts: [{ profile: { name: 'Bench' }, wa_id: phoneOf(i) }],
          messages: [
            {
              from: phoneOf(i),
              id: `wamid.BENCH_R${i}_${process.hrtime.bigint()}`,
              timestamp: String(Math.floor(Date.now() / 1000)),
              type: 'text',
              text: { body: 'Tell me more' },
              context: { id: idOf(i) },
            },
          ],
        }
      : {
          statuses: [
            {
              id: idOf(i),
              status: statuses[i % 3],
              timestamp: String(Math.floor(Date.now() / 1000)),
              recipient_id: phoneOf(i),
              pricing: { billable: true, pricing_model: 'PMP', category: 'marketing' },
            },
          ],
        };
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA_ID,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              ...value,
            },
          },
        ],
      },
    ],
  });
}

/** Meta's signature of a body: what the client computes, as Meta does, per request. */
const signed = (body: string) => ({
  'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`,
});

/** A bare Hono endpoint answering 200 to the same POSTs, in a process of its own. */
async function startBareHono(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const code = `
    import { serve } from '@hono/node-server';
    import { Hono } from 'hono';
    const app = new Hono();
    app.post('/webhooks/chat-api', async (c) => { await c.req.text(); return c.json({ ok: true }); });
    serve({ fetch: app.fetch, port: ${port}, hostname: '127.0.0.1' }, () => console.log('ready'));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}/webhooks/chat-api`, child };
}

async function seed(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const ids = Array.from({ length: MESSAGES }, (_, i) => idOf(i));
  const phones = Array.from({ length: MESSAGES }, (_, i) => `+${phoneOf(i)}`);
  await sql`
    insert into messages (phone, kind, status, provider_message_id, sent_at, campaign_id)
    select p, 'template', 'sent', id, now(), null
    from unnest(${phones}::text[], ${ids}::text[]) as s(p, id)`;
  await sql.end();
}

async function countEvents(url: string): Promise<{ stored: number; unapplied: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [row] = await sql<{ stored: number; unapplied: number }[]>`
    select count(*)::int as stored, count(*) filter (where processed_at is null)::int as unapplied
    from webhook_events`;
  await sql.end();
  return row ?? { stored: -1, unapplied: -1 };
}

export async function benchWebhook(): Promise<Figure[]> {
  const server = await benchServer();
  const bare = await startBareHono();
  try {
    const db = await freshDatabase(server.adminUrl, 'wa_bench_webhook');
    const service = await startServiceProcess(db, cloudApiEnv);
    try {
      await seed(db);
      const target = `${service.baseUrl}/webhooks/chat-api?secret=${SECRET}`;
      console.log(`webhook: ${SECONDS} s per phase, ${CONNECTIONS} connections`);
      const warm = await closedLoop(target, bodyOf, { connections: 8, seconds: 1 });
      const bareRun = await closedLoop(bare.url, bodyOf, {
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
      const max = await closedLoop(target, bodyOf, { connections: CONNECTIONS, seconds: SECONDS });
      const paced = await pacedLoad(target, bodyOf, { rate: 1000, seconds: SECONDS });
      const cloud = await closedLoop(`${service.baseUrl}/webhooks/whatsapp`, cloudBodyOf, {
        connections: CONNECTIONS,
        seconds: SECONDS,
        headersOf: signed,
      });
      const answered = warm.ok + max.ok + paced.ok + cloud.ok;
      // every 200 is a stored event: wait for the applier, then count
      let counts = await countEvents(db);
      for (let i = 0; i < 100 && counts.unapplied > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        counts = await countEvents(db);
      }
      const p99 = percentile(paced.latencies, 99);
      console.log(
        `  bare Hono ${bareRun.perSecond.toFixed(0)}/s; webhook ${max.perSecond.toFixed(0)}/s (p99 ${percentile(max.latencies, 99).toFixed(1)} ms, ${max.failed} failed); signed Cloud API ${cloud.perSecond.toFixed(0)}/s (${cloud.failed} failed); paced 1,000/s: p50 ${percentile(paced.latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${paced.failed} failed; ${counts.stored} stored, ${counts.unapplied} not applied after the run`,
      );
      const lost = answered - counts.stored;
      return [
        {
          what: 'webhook single-event requests stored',
          value: `${max.perSecond.toFixed(0)} /s`,
          goal: '≥ 3,000 /s',
          baseline: `bare Hono 200 ${bareRun.perSecond.toFixed(0)} /s`,
          ok: max.perSecond >= 3000 && max.failed === 0,
        },
        {
          what: 'webhook signed Cloud API requests stored (HMAC included)',
          value: `${cloud.perSecond.toFixed(0)} /s`,
          goal: '≥ 3,000 /s',
          baseline: `chat-api ${max.perSecond.toFixed(0)} /s`,
          ok: cloud.perSecond >= 3000 && cloud.failed === 0,
        },
        {
          what: 'webhook p99 at 1,000 req/s',
          value: `${p99.toFixed(1)} ms`,
          goal: '≤ 50 ms',
          ok: p99 <= 50 && paced.failed === 0,
        },
        {
          what: 'webhook events lost',
          value: `${Math.max(lost, 0)} of ${answered} (${counts.unapplied} unapplied)`,
          goal: '0',
          ok: lost <= 0 && counts.unapplied === 0,
        },
      ];
    } finally {
      await service.stop();
      await dropDatabase(server.adminUrl, 'wa_bench_webhook');
    }
  } finally {
    bare.child.kill('SIGTERM');
    await server.stop();
  }
}
