import { afterAll, describe, expect, it } from 'vitest';
import { Rig, sleep } from './rig';

const MESSAGES = 2_000_000;
const SCRAPERS = 30;
/** Long enough for several stale figures: a count may start every METRICS_REFRESH_SECONDS. */
const SCRAPE_MS = 12_000;
const STATUSES = ['sent', 'delivered', 'read', 'failed'];

let rig: Rig | undefined;
afterAll(async () => {
  await rig?.stop();
});

type Timed = { status: number; ms: number };

async function timed(url: string): Promise<Timed & { text: string }> {
  const started = performance.now();
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, text };
}

const p = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ??
  Number.NaN;

describe('/metrics under load', () => {
  it('thirty concurrent /metrics scrapes on 2,000,000 messages (/readyz stays 200)', async () => {
    rig = await Rig.onFreshDatabase();
    const service = await rig.spawn('all', { METRICS_REFRESH_SECONDS: '1' });
    const campaignId = await rig.campaign(1);
    // One set-based statement, as a large campaign's history would be: a finished run whose
    // 2,000,000 template messages the counter triggers count in the same statement.
    const [run] = await rig.sql<{ id: string }[]>`
      insert into runs (campaign_id, scheduled_for, status, audience, snapshot_done_at,
        started_at, finished_at)
      values (${campaignId}, now(), 'completed', ${MESSAGES}, now(), now(), now())
      returning id`;
    await rig.sql`
      insert into messages (run_id, campaign_id, phone, kind, status)
      select ${run?.id ?? null}, ${campaignId}, '+4916' || (100000000 + i), 'template',
        (${STATUSES}::message_status[])[1 + i % ${STATUSES.length}]
      from generate_series(1, ${MESSAGES}) i`;
    await rig.sql`analyze messages`;

    const base = service.base as string;
    const deadline = Date.now() + SCRAPE_MS;
    const readyz: Timed[] = [];
    const scrapes: Timed[] = [];
    let lastText = '';
    const scraper = async () => {
      while (Date.now() < deadline) {
        const { text, ...result } = await timed(`${base}/metrics`);
        scrapes.push(result);
        lastText = text;
      }
    };
    const prober = async () => {
      while (Date.now() < deadline) {
        const { status, ms } = await timed(`${base}/readyz`);
        readyz.push({ status, ms });
        await sleep(100); // a load balancer's probe interval, compressed
      }
    };
    await Promise.all([prober(), ...Array.from({ length: SCRAPERS }, scraper)]);

    const scrapeMs = scrapes.map((s) => s.ms);
    const readyMs = readyz.map((r) => r.ms);
    console.info(
      `[faults] ${scrapes.length} scrapes by ${SCRAPERS} scrapers in ${SCRAPE_MS} ms: p50 ${p(scrapeMs, 0.5).toFixed(0)} ms, p99 ${p(scrapeMs, 0.99).toFixed(0)} ms, max ${Math.max(...scrapeMs).toFixed(0)} ms; ${readyz.length} /readyz: p99 ${p(readyMs, 0.99).toFixed(0)} ms, max ${Math.max(...readyMs).toFixed(0)} ms`,
    );
    expect(service.child.exitCode, rig.logs()).toBeNull();
    expect(scrapes.every((s) => s.status === 200)).toBe(true);
    expect(
      readyz.filter((r) => r.status !== 200),
      'every /readyz answered 200',
    ).toEqual([]);
    expect(readyz.length).toBeGreaterThan(SCRAPE_MS / 1000);
    // The figures are those of the rows, read from the counters.
    expect(lastText).toContain(`wa_campaign_messages{figure="audience"} ${MESSAGES}`);
    expect(lastText).toContain(`wa_campaign_messages{figure="failed"} ${MESSAGES / 4}`);
    expect(lastText).toContain(`wa_campaign_messages{figure="sent"} ${(MESSAGES / 4) * 3}`);
  });
});
