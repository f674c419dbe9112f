import postgres from 'postgres';
import { FakeGraph } from '../../test/helpers/fake-graph';
import { pace, perSecond } from '../../test/helpers/pace';
import {
  benchServer,
  dropDatabase,
  type Figure,
  freshDatabase,
  median,
  runsInTurn,
  type ServiceProcess,
  startServiceProcess,
} from './harness';

const SENDS = Number(process.env.BENCH_CLOUD_API_SENDS ?? 20_000);
/** The pace of each of the two senders, and how long each one's campaign lasts at that pace. */
const PACING_RATE = Number(process.env.BENCH_CLOUD_API_PACING_RATE ?? 80);
const PACING_SECONDS = Number(process.env.BENCH_CLOUD_API_PACING_SECONDS ?? 20);
const DATABASE = 'wa_bench_cloud_api';

/** The default sender as a Cloud API number on the fake Graph API (as test/cloud-api-sending.test.ts). */
function cloudApiEnv(graph: FakeGraph, ratePerSecond: number): Record<string, string> {
  return {
    WHATSAPP_ACCESS_TOKEN: graph.token,
    WHATSAPP_PHONE_NUMBER_ID: graph.phoneNumberId,
    WHATSAPP_BUSINESS_ACCOUNT_ID: graph.businessAccountId,
    WHATSAPP_APP_SECRET: 'bench-app-secret-0123456789',
    WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
    GRAPH_API_URL: graph.url,
    SEND_RATE_PER_SECOND: String(ratePerSecond),
    // the senders made by POST /v1/senders store their credentials sealed under it
    SECRETS_KEY: 'bench-secrets-key-0123456789abcdef0123456789',
    // no sync from the fake: it would list no template and disable the seeded one
    TEMPLATE_SYNC_MINUTES: '0',
  };
}

/**
 * A template as a sync from Meta leaves it once its parameter is set (docs/design.md, rule 33):
 * `approved`, `source: synced`, read from `senderId`'s business account, a positional body of
 * one parameter, filled with the contact's first name.
 */
async function seedTemplate(sql: postgres.Sql, senderId: string): Promise<string> {
  const components = [{ type: 'BODY', text: 'Hello {{1}}, our spring sale starts today.' }];
  const [template] = await sql<{ id: string }[]>`
    insert into templates (name, namespace, language_code, parameters, sender_id, status,
      parameter_format, components, category, source, external_id)
    values ('promo', '', 'en', '["{{first_name}}"]', ${senderId}, 'approved', 'positional',
      ${sql.json(components)}, 'marketing', 'synced', '1234567890')
    returning id`;
  return template?.id ?? '';
}

/** A list of `contacts` new contacts and a campaign over it on `senderId`, in SQL. */
async function seedCampaign(
  sql: postgres.Sql,
  opts: { index: number; contacts: number; templateId: string; senderId: string },
): Promise<string> {
  const [list] = await sql<{ id: string }[]>`
    insert into lists (name) values (${`bench ${opts.index}`}) returning id`;
  const first = opts.index * opts.contacts;
  await sql`
    with inserted as (
      insert into contacts (phone, attributes)
      select '+1555' || lpad((${first} + g)::text, 7, '0'), jsonb_build_object('first_name', 'N' || g)
      from generate_series(1, ${opts.contacts}) g
      on conflict (phone) do update set attributes = excluded.attributes
      returning id)
    insert into list_members (list_id, contact_id) select ${list?.id ?? ''}::uuid, id from inserted`;
  const [campaign] = await sql<{ id: string }[]>`
    insert into campaigns (name, template_id, list_ids, sender_id)
    values (${`bench ${opts.index}`}, ${opts.templateId}, ${[list?.id ?? '']}::uuid[], ${opts.senderId})
    returning id`;
  return campaign?.id ?? '';
}

async function post(service: ServiceProcess, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${service.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${service.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function waitDone(sql: postgres.Sql, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await sql<{ open: number }[]>`
      select count(*)::int as open from campaigns
      where id = any(${ids}::uuid[]) and status <> 'completed'`;
    if (row?.open === 0) return;
    if (Date.now() > deadline) throw new Error('the campaigns did not complete in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type TemplateBody = {
  to?: unknown;
  template?: { name?: unknown; components?: { parameters?: { text?: unknown }[] }[] };
};

/** The seeded template with the contact's first name (`N<n>`) as its one body parameter. */
const isPromo = (body: TemplateBody) =>
  body.template?.name === 'promo' &&
  /^N\d+$/.test(String(body.template.components?.[0]?.parameters?.[0]?.text));

/**
 * The times at the fake of the sends through one number: each recipient once, each the seeded
 * template with its parameter, all accepted; anything else fails the benchmark.
 */
function sendsOf(graph: FakeGraph, phoneNumberId: string, expected: number): number[] {
  const sends = graph.sends().filter((s) => s.path === `${phoneNumberId}/messages`);
  const bodies = sends.map((s) => (s.body ?? {}) as TemplateBody);
  const recipients = new Set(bodies.map((body) => String(body.to)));
  const refused = sends.filter((s) => s.status !== 200).length;
  const other = bodies.filter((body) => !isPromo(body)).length;
  if (sends.length !== expected || recipients.size !== expected || refused + other > 0) {
    throw new Error(
      `expected ${expected} distinct accepted sends of the template through ${phoneNumberId}, the fake Graph API saw ${sends.length} (${recipients.size} distinct, ${refused} refused, ${other} not the template with its parameter)`,
    );
  }
  return sends.map((s) => s.receivedAt).sort((a, b) => a - b);
}

/** Sends a second of a bare loop of `concurrency` workers posting Meta's template sends to the fake. */
async function bareLoop(graph: FakeGraph, count: number, concurrency: number): Promise<number> {
  const url = `${graph.url}/v26.0/${graph.phoneNumberId}/messages`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const to = String(15550000000 + next++);
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${graph.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            messaging_product: 'whatsapp',
            recipient_type: 'individual',
            to,
            type: 'template',
            template: {
              name: 'promo',
              language: { code: 'en' },
              components: [{ type: 'body', parameters: [{ type: 'text', text: 'N1' }] }],
            },
          }),
        });
        await response.text();
        if (!response.ok) throw new Error(`the fake Graph API answered ${response.status}`);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** One campaign of `sends` through the default sender, a Cloud API number, with no limit. */
async function measureDispatch(adminUrl: string, sends: number): Promise<number> {
  const graph = await FakeGraph.start();
  const db = await freshDatabase(adminUrl, DATABASE);
  const sql = postgres(db, { max: 1, onnotice: () => {} });
  let service: ServiceProcess | undefined;
  try {
    service = await startServiceProcess(db, cloudApiEnv(graph, 10_000));
    const [sender] = await sql<{ id: string }[]>`select id from senders where is_default`;
    const senderId = sender?.id ?? '';
    const templateId = await seedTemplate(sql, senderId);
    const id = await seedCampaign(sql, { index: 0, contacts: sends, templateId, senderId });
    await post(service, `/v1/campaigns/${id}/start`);
    await waitDone(sql, [id], 300_000);
    return pace(sendsOf(graph, graph.phoneNumberId, sends)).rate;
  } finally {
    await service?.stop();
    await sql.end();
    await graph.stop();
    await dropDatabase(adminUrl, DATABASE);
  }
}

/**
 * Two Cloud API senders made by POST /v1/senders at `rate`/s each (two numbers of one business
 * account on the fake Graph API), one campaign each, started together: each number's achieved
 * rate and busiest second at the fake.
 */
async function measureTwoSenders(
  adminUrl: string,
  rate: number,
  perSender: number,
): Promise<
  { phoneNumberId: string; rate: number; busiest: number; seconds: number; perSecond: number[] }[]
> {
  const graph = await FakeGraph.start();
  const numbers = [
    { phoneNumberId: '106540352243001', token: 'EAAbenchFirstNumberToken0123456789' },
    { phoneNumberId: '106540352243002', token: 'EAAbenchSecondNumberToken0123456789' },
  ];
  for (const number of numbers) graph.addNumber(number.phoneNumberId, number.token);
  const db = await freshDatabase(adminUrl, DATABASE);
  const sql = postgres(db, { max: 1, onnotice: () => {} });
  let service: ServiceProcess | undefined;
  try {
    service = await startServiceProcess(db, cloudApiEnv(graph, 20));
    const senderIds: string[] = [];
    for (const [i, number] of numbers.entries()) {
      const created = (await post(service, '/v1/senders', {
        name: `Bench number ${i + 1}`,
        provider: 'cloud-api',
        ratePerSecond: rate,
        credentials: {
          phoneNumberId: number.phoneNumberId,
          businessAccountId: graph.businessAccountId,
          accessToken: number.token,
          appSecret: `bench-app-secret-${i}-0123456789`,
          verifyToken: `bench-verify-token-${i}`,
        },
      })) as { id: string };
      senderIds.push(created.id);
    }
    // synced from the first number: both numbers are of its business account, so both send it
    const templateId = await seedTemplate(sql, senderIds[0] ?? '');
    const ids: string[] = [];
    for (const [index, senderId] of senderIds.entries())
      ids.push(await seedCampaign(sql, { index, contacts: perSender, templateId, senderId }));
    for (const id of ids) await post(service, `/v1/campaigns/${id}/start`);
    await waitDone(sql, ids, (perSender / rate) * 3000 + 60_000);
    return numbers.map(({ phoneNumberId }) => {
      const times = sendsOf(graph, phoneNumberId, perSender);
      return { phoneNumberId, ...pace(times), perSecond: perSecond(times) };
    });
  } finally {
    await service?.stop();
    await sql.end();
    await graph.stop();
    await dropDatabase(adminUrl, DATABASE);
  }
}

/**
 * Sending through Meta's Cloud API provider against the fake Graph API of
 * test/helpers/fake-graph.ts: dispatch with no limit beside a bare HTTP loop, then two senders
 * paced at PACING_RATE each, at the same time.
 */
export async function benchCloudApi(): Promise<Figure[]> {
  const server = await benchServer();
  try {
    const figures: Figure[] = [];
    const baseline = await FakeGraph.start();
    const bare = median(await runsInTurn(3, () => bareLoop(baseline, 5000, 32)));
    await baseline.stop();
    const rates = await runsInTurn(3, () => measureDispatch(server.adminUrl, SENDS));
    const rate = median(rates);
    console.log(
      `cloud-api dispatch: ${SENDS} sends at ${rates.map((r) => r.toFixed(0)).join(', ')}/s (median ${rate.toFixed(0)}); bare HTTP loop to the fake Graph API ${bare.toFixed(0)}/s`,
    );
    figures.push({
      what: `cloud-api dispatch, no limit (${SENDS} sends)`,
      value: `${rate.toFixed(0)} sends/s`,
      goal: '≥ 1,000/s and ≥ 50% of bare loop',
      baseline: `bare HTTP loop to the fake Graph API ${bare.toFixed(0)}/s (${((rate / bare) * 100).toFixed(0)}%)`,
      ok: rate >= 1000 && rate >= bare * 0.5,
    });

    const perSender = Math.round(PACING_RATE * PACING_SECONDS);
    const paced = await measureTwoSenders(server.adminUrl, PACING_RATE, perSender);
    const most = Math.floor(PACING_RATE * 1.05);
    for (const [i, one] of paced.entries()) {
      const error = (one.rate / PACING_RATE - 1) * 100;
      console.log(
        `cloud-api pacing, sender ${i + 1} of 2 (${one.phoneNumberId}): ${perSender} sends in ${one.seconds.toFixed(1)} s, ${one.rate.toFixed(2)}/s (${error.toFixed(1)}%), busiest second ${one.busiest}; per second ${one.perSecond.join(' ')}`,
      );
      figures.push({
        what: `cloud-api pacing ${PACING_RATE}/s, sender ${i + 1} of 2 at once (${perSender} sends)`,
        value: `${one.rate.toFixed(1)}/s (${error >= 0 ? '+' : ''}${error.toFixed(1)}%), max 1 s: ${one.busiest}`,
        goal: `±3%, max 1 s ≤ ${most}`,
        baseline: `set rate ${PACING_RATE}/s`,
        ok: Math.abs(error) <= 3 && one.busiest <= most,
      });
    }
    return figures;
  } finally {
    await server.stop();
  }
}
