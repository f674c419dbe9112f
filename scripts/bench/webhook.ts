import { type ChildProcess, spawn } from 'node:child_process';
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
    const service = await startServiceProcess(db);
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
      const answered = warm.ok + max.ok + paced.ok;
      // every 200 is a stored event: wait for the applier, then count
      let counts = await countEvents(db);
      for (let i = 0; i < 100 && counts.unapplied > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        counts = await countEvents(db);
      }
      const p99 = percentile(paced.latencies, 99);
      console.log(
        `  bare Hono ${bareRun.perSecond.toFixed(0)}/s; webhook ${max.perSecond.toFixed(0)}/s (p99 ${percentile(max.latencies, 99).toFixed(1)} ms, ${max.failed} failed); paced 1,000/s: p50 ${percentile(paced.latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${paced.failed} failed; ${counts.stored} stored, ${counts.unapplied} not applied after the run`,
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
