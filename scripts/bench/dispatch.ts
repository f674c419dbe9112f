import postgres from 'postgres';
import { FakeProvider, phoneOf } from '../../test/helpers/fake-provider';
import { pace } from '../../test/helpers/pace';
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

const SENDS = Number(process.env.BENCH_DISPATCH_SENDS ?? 20_000);

/** Contacts, a list, a template and `campaigns` campaigns over slices of the list, straight in SQL. */
async function seed(
  url: string,
  contacts: number,
  campaigns: number,
  ratePerSecond: number | null,
): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [template] = await sql<{ id: string }[]>`
      insert into templates (name, namespace, language_code, parameters) values ('promo', 'ns', 'en', '["{{first_name}}"]') returning id`;
    const ids: string[] = [];
    for (let c = 0; c < campaigns; c++) {
      const [list] = await sql<
        { id: string }[]
      >`insert into lists (name) values (${`bench ${c}`}) returning id`;
      const per = Math.floor(contacts / campaigns);
      await sql`
        with inserted as (
          insert into contacts (phone, attributes)
          select '+1555' || lpad((${c * per} + g)::text, 7, '0'), jsonb_build_object('first_name', 'N' || g)
          from generate_series(1, ${per}) g
          on conflict (phone) do update set attributes = excluded.attributes
          returning id)
        insert into list_members (list_id, contact_id) select ${list?.id ?? ''}::uuid, id from inserted`;
      const [campaign] = await sql<{ id: string }[]>`
        insert into campaigns (name, template_id, list_ids, rate_per_second)
        values (${`bench ${c}`}, ${template?.id ?? ''}, ${[list?.id ?? '']}::uuid[], ${ratePerSecond})
        returning id`;
      ids.push(campaign?.id ?? '');
    }
    return ids;
  } finally {
    await sql.end();
  }
}

export async function startAll(service: ServiceProcess, ids: string[]): Promise<void> {
  for (const id of ids) {
    const response = await fetch(`${service.baseUrl}/v1/campaigns/${id}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.token}` },
    });
    if (!response.ok)
      throw new Error(`start answered ${response.status}: ${await response.text()}`);
  }
}

/** Waits for the campaigns to complete; answers how many processes held their dispatch leases. */
async function waitDone(url: string, ids: string[], timeoutMs: number): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const deadline = Date.now() + timeoutMs;
  const dispatchers = new Set<string>();
  try {
    for (;;) {
      const [row] = await sql<{ open: number; workers: string[] }[]>`
        select count(*)::int as open,
          (select coalesce(array_agg(distinct worker_id::text), '{}') from dispatch_leases) as workers
        from campaigns where id = any(${ids}::uuid[]) and status <> 'completed'`;
      for (const worker of row?.workers ?? []) dispatchers.add(worker);
      if (row?.open === 0) return dispatchers.size;
      if (Date.now() > deadline) throw new Error('the campaigns did not complete in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await sql.end();
  }
}

/** Requests per second of a bare loop of `concurrency` workers posting sendTemplate to the fake provider. */
async function bareLoop(
  provider: FakeProvider,
  count: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const response = await fetch(`${provider.url}/sendTemplate?token=${provider.token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            phone: '15550000001',
            template: 'promo',
            namespace: 'ns',
            language: { code: 'en', policy: 'deterministic' },
          }),
        });
        await response.text();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

/** Sends `sends` rows of `campaigns` campaigns through `processes` service processes at `rate`. */
export async function measure(
  adminUrl: string,
  opts: { sends: number; rate: number; processes: number; campaigns: number },
) {
  const provider = await FakeProvider.start();
  const db = await freshDatabase(adminUrl, 'wa_bench_dispatch');
  const env = {
    CHAT_API_URL: provider.url,
    CHAT_API_TOKEN: provider.token,
    SEND_RATE_PER_SECOND: String(opts.rate),
    // With several processes, each dispatches one run at a time: the runs spread over them
    // (with 4, the first process to poll took all three, and the case measured one process).
    ...(opts.processes > 1 ? { DISPATCH_CONCURRENCY: '1' } : {}),
  };
  const services: ServiceProcess[] = [];
  try {
    services.push(await startServiceProcess(db, env));
    const sql = postgres(db, { max: 1, onnotice: () => {} });
    for (let i = 1; i < opts.processes; i++) {
      const [before] = await sql<{ n: number }[]>`select count(*)::int as n from workers`;
      const workerUp = async () =>
        ((await sql<{ n: number }[]>`select count(*)::int as n from workers`)[0]?.n ?? 0) >
        (before?.n ?? 0);
      services.push(await startServiceProcess(db, { ...env, ROLE: 'worker' }, workerUp));
    }
    await sql.end();
    const ids = await seed(db, opts.sends, opts.campaigns, null);
    await startAll(services[0] as ServiceProcess, ids);
    const dispatchers = await waitDone(db, ids, 300_000);
    const times = provider
      .sends()
      .map((s) => s.receivedAt)
      .sort((a, b) => a - b);
    const phones = new Set(provider.sends().map(phoneOf));
    if (times.length !== opts.sends || phones.size !== opts.sends) {
      throw new Error(
        `expected ${opts.sends} distinct sends, the provider saw ${times.length} (${phones.size} distinct)`,
      );
    }
    return { ...pace(times), dispatchers };
  } finally {
    for (const service of services) await service.stop();
    await provider.stop();
    await dropDatabase(adminUrl, 'wa_bench_dispatch');
  }
}

export async function benchDispatch(): Promise<Figure[]> {
  const server = await benchServer();
  try {
    const figures: Figure[] = [];
    // Throughput: no provider limit, against a bare HTTP loop on the same kind of fake provider.
    const baselineProvider = await FakeProvider.start();
    const bare = median(await runsInTurn(3, () => bareLoop(baselineProvider, 5000, 32)));
    await baselineProvider.stop();
    // A run is short (about 20 s): the median of three.
    const rates = await runsInTurn(3, async () => {
      const one = await measure(server.adminUrl, {
        sends: SENDS,
        rate: 10_000,
        processes: 1,
        campaigns: 1,
      });
      return one.rate;
    });
    const throughput = { rate: median(rates) };
    console.log(
      `dispatch: ${SENDS} sends at ${rates.map((r) => r.toFixed(0)).join(', ')}/s (median ${throughput.rate.toFixed(0)}); bare HTTP loop ${bare.toFixed(0)}/s`,
    );
    figures.push({
      what: `dispatch, no limit (${SENDS} sends)`,
      value: `${throughput.rate.toFixed(0)} sends/s`,
      goal: '≥ 1,000/s and ≥ 50% of bare loop',
      baseline: `bare HTTP loop ${bare.toFixed(0)}/s (${((throughput.rate / bare) * 100).toFixed(0)}%)`,
      ok: throughput.rate >= 1000 && throughput.rate >= bare * 0.5,
    });
    return figures;
  } finally {
    await server.stop();
  }
}

/**
 * Pacing accuracy at 20/s and 500/s, with one and with three worker processes (one campaign
 * each, sharing the account pace). BENCH_PACING picks some, e.g. `500x3,20x1`.
 */
export async function benchPacing(): Promise<Figure[]> {
  const cases = (process.env.BENCH_PACING ?? '20x1,20x3,500x1,500x3')
    .split(',')
    .map((spec) => spec.split('x').map(Number) as [number, number]);
  const server = await benchServer();
  try {
    const figures: Figure[] = [];
    for (const [rate, processes] of cases) {
      const sends = rate === 20 ? 210 : 4200; // divisible by 1 and 3 campaigns
      const result = await measure(server.adminUrl, {
        sends,
        rate,
        processes,
        campaigns: processes,
      });
      const error = (result.rate / rate - 1) * 100;
      console.log(
        `pacing ${rate}/s, ${processes} process(es): ${result.rate.toFixed(2)}/s (${error.toFixed(1)}%), busiest second ${result.busiest}; dispatched by ${result.dispatchers} process(es)`,
      );
      figures.push({
        what: `pacing ${rate}/s, ${processes} process${processes > 1 ? 'es' : ''}`,
        value: `${result.rate.toFixed(1)}/s (${error >= 0 ? '+' : ''}${error.toFixed(1)}%), max 1 s: ${result.busiest}${processes > 1 ? `, ${result.dispatchers} sent` : ''}`,
        goal: `±3%, max 1 s ≤ ${Math.floor(rate * 1.05)}`,
        baseline: `set rate ${rate}/s`,
        ok: Math.abs(error) <= 3 && result.busiest <= Math.floor(rate * 1.05),
      });
    }
    return figures;
  } finally {
    await server.stop();
  }
}
