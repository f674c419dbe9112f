import postgres from 'postgres';
import { FakeProvider } from '../../test/helpers/fake-provider';
import { pace, perSecond } from '../../test/helpers/pace';
import { measure as measurePacing, startAll } from './dispatch';
import {
  benchServer,
  dropDatabase,
  type Figure,
  freshDatabase,
  type ServiceProcess,
  startServiceProcess,
} from './harness';

const MESSAGES = Number(process.env.BENCH_WINDOWS_MESSAGES ?? 500_000);
const RATES = (process.env.BENCH_WINDOWS_RATES ?? '200,500').split(',').map(Number);
/** How long the pace is measured once the window opens (at 500/s, 15,000 sends). */
const MEASURE_SECONDS = Number(process.env.BENCH_WINDOWS_SECONDS ?? 30);
/** The least time between the start and the window's opening: the snapshot must be done by then. */
const LEAD_SECONDS = Number(process.env.BENCH_WINDOWS_LEAD_SECONDS ?? 45);
/** Zones a quarter each, UTC+0 all year round: the window opens at the same instant in all. */
const ZONES = ['UTC', 'Africa/Abidjan', 'Atlantic/Reykjavik', 'Etc/GMT'];
/** The campaign's own cap, `max/days` (claims count each phone's sends); `off`: none. */
const CAP = process.env.BENCH_WINDOWS_CAP ?? '2/7';

/**
 * A campaign of `messages` contacts, each with a `timezone` attribute of ZONES, with its own
 * frequency cap (CAP), straight in SQL. Its window is set just
 * before the start (openAt).
 */
async function seed(sql: postgres.Sql, messages: number): Promise<string> {
  const [template] = await sql<{ id: string }[]>`
    insert into templates (name, namespace, language_code, parameters) values ('promo', 'ns', 'en', '["{{first_name}}"]') returning id`;
  const [list] = await sql<
    { id: string }[]
  >`insert into lists (name) values ('bench') returning id`;
  await sql`
    with inserted as (
      insert into contacts (phone, attributes)
      select '+1555' || lpad(g::text, 7, '0'),
        jsonb_build_object('first_name', 'N' || g, 'timezone', (${ZONES}::text[])[g % ${ZONES.length} + 1])
      from generate_series(1, ${messages}) g
      returning id)
    insert into list_members (list_id, contact_id) select ${list?.id ?? ''}::uuid, id from inserted`;
  const [max, days] = CAP === 'off' ? [null, null] : CAP.split('/').map(Number);
  const [campaign] = await sql<{ id: string }[]>`
    insert into campaigns (name, template_id, list_ids, frequency_cap_mode, frequency_cap_max, frequency_cap_days)
    values ('bench windows', ${template?.id ?? ''}, ${[list?.id ?? '']}::uuid[],
      ${max ? 'own' : 'off'}, ${max ?? null}, ${days ?? null})
    returning id`;
  await sql`analyze`;
  return campaign?.id ?? '';
}

/**
 * Gives the campaign a window opening at the first whole minute at least LEAD_SECONDS away
 * (UTC, the contacts' zones' time) and open twelve hours, every day; answers the opening.
 */
async function openAt(sql: postgres.Sql, campaignId: string): Promise<Date> {
  const opening = new Date(Math.ceil((Date.now() + LEAD_SECONDS * 1000) / 60_000) * 60_000);
  const hhmm = (date: Date) => date.toISOString().slice(11, 16);
  await sql`
    update campaigns set send_window_mode = 'own', send_window_from = ${hhmm(opening)}::time,
      send_window_to = ${hhmm(new Date(opening.getTime() + 12 * 3_600_000))}::time, send_window_days = 127
    where id = ${campaignId}`;
  return opening;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(adminUrl: string, rate: number) {
  const provider = await FakeProvider.start();
  const db = await freshDatabase(adminUrl, 'wa_bench_windows');
  let service: ServiceProcess | undefined;
  const sql = postgres(db, { max: 1, onnotice: () => {} });
  try {
    service = await startServiceProcess(db, {
      CHAT_API_URL: provider.url,
      CHAT_API_TOKEN: provider.token,
      SEND_RATE_PER_SECOND: String(rate),
    });
    const campaignId = await seed(sql, MESSAGES);
    const opening = await openAt(sql, campaignId);
    await startAll(service, [campaignId]);
    // The snapshot places every row at the opening; the run then waits for it (waiting_until).
    const placed = await waitFor(
      `the snapshot before the opening (BENCH_WINDOWS_LEAD_SECONDS: ${LEAD_SECONDS})`,
      opening.getTime() - Date.now(),
      async () => {
        const [run] = await sql<{ done: boolean; waiting: boolean; due: number }[]>`
          select r.snapshot_done_at is not null as done, r.waiting_until is not null as waiting,
            (select count(*) from messages m where m.run_id = r.id and m.status = 'pending'
              and m.next_attempt_at = ${opening.toISOString()}::timestamptz)::int as due
          from runs r where r.campaign_id = ${campaignId}`;
        // the last batch clears the wait, and its dispatcher sets it again: the path is told
        // once that dispatcher has looked (or just before the opening)
        return run?.done && (run.waiting || Date.now() > opening.getTime() - 3000)
          ? run
          : undefined;
      },
    );
    if (placed.due !== MESSAGES)
      throw new Error(`expected ${MESSAGES} rows due at the opening, found ${placed.due}`);
    if (provider.sends().length > 0) throw new Error('a message was sent before the window opened');
    console.log(
      `windows ${rate}/s: ${placed.due} rows wait for ${opening.toISOString()}, ${((opening.getTime() - Date.now()) / 1000).toFixed(0)} s away${placed.waiting ? ' (the run waits for recovery)' : ''}`,
    );
    const first = await waitFor(
      'the first send',
      60_000 + opening.getTime() - Date.now(),
      async () => provider.sends()[0]?.receivedAt,
    );
    await new Promise((resolve) =>
      setTimeout(resolve, first + MEASURE_SECONDS * 1000 + 500 - Date.now()),
    );
    const times = provider
      .sends()
      .map((s) => s.receivedAt)
      .filter((t) => t <= first + MEASURE_SECONDS * 1000)
      .sort((a, b) => a - b);
    return {
      ...pace(times),
      perSecond: perSecond(times),
      sends: times.length,
      latencyMs: first - opening.getTime(),
    };
  } finally {
    await sql.end();
    await service?.stop();
    await provider.stop();
    await dropDatabase(adminUrl, 'wa_bench_windows');
  }
}

/**
 * A window opening for every recipient at once (issue goal: pacing still ±3% while 500,000
 * waiting messages become due at the same minute): a campaign of MESSAGES contacts in four
 * zones of one offset, with its own window and cap, started through the service, whose
 * snapshot places every row at the window's next opening; the run waits (runs.waiting_until)
 * and recovery queues it once the minute comes. Measured at the provider: the delay from the
 * opening to the first send, and the pace over the first MEASURE_SECONDS; beside it, the
 * pacing benchmark's plain case at the same rate, measured right after.
 */
export async function benchWindows(): Promise<Figure[]> {
  const server = await benchServer();
  try {
    const figures: Figure[] = [];
    for (const rate of RATES) {
      const result = await measure(server.adminUrl, rate);
      const error = (result.rate / rate - 1) * 100;
      // The same pace with no window, no cap and no rows waiting (the pacing benchmark's case),
      // as much as the window's measure sends: what the machine allows at the moment.
      const plain = await measurePacing(server.adminUrl, {
        sends: rate * MEASURE_SECONDS,
        rate,
        processes: 1,
        campaigns: 1,
      });
      const plainError = (plain.rate / rate - 1) * 100;
      console.log(
        `windows ${rate}/s: first send ${result.latencyMs} ms after the opening; ${result.sends} sends in ${result.seconds.toFixed(1)} s: ${result.rate.toFixed(2)}/s (${error.toFixed(1)}%), busiest second ${result.busiest}; per second ${result.perSecond.join(' ')}`,
      );
      figures.push(
        {
          what: `pacing ${rate}/s as ${MESSAGES} waiting rows come due at once (${MEASURE_SECONDS} s, cap ${CAP})`,
          value: `${result.rate.toFixed(1)}/s (${error >= 0 ? '+' : ''}${error.toFixed(1)}%), max 1 s: ${result.busiest}`,
          goal: `±3%, max 1 s ≤ ${Math.floor(rate * 1.05)}`,
          baseline: `set rate ${rate}/s; plain pacing ${plain.rate.toFixed(1)}/s (${plainError >= 0 ? '+' : ''}${plainError.toFixed(1)}%), max 1 s: ${plain.busiest}`,
          ok: Math.abs(error) <= 3 && result.busiest <= Math.floor(rate * 1.05),
        },
        {
          what: `window opening to first send, ${rate}/s`,
          value: `${(result.latencyMs / 1000).toFixed(2)} s`,
          goal: 'none set (recovery sweeps every 2 s)',
          ok: true,
        },
      );
    }
    return figures;
  } finally {
    await server.stop();
  }
}
