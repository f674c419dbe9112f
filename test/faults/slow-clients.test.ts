import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile } from '../../scripts/bench/load';
import { TEST_API_TOKEN, waitFor } from '../helpers/service';
import { countLines, openDownload, openUpload, trickle } from '../helpers/slow-client';
import { readinessWatch, webhookLoad } from './probes';
import { type Proc, Rig } from './rig';

/** 20 s of sending at RATE: the slow clients come and go while it sends. */
const RECIPIENTS = 4000;
const RATE = 200;
const SLOW = 10;
/** Lines of each slow upload, one a second. */
const UPLOAD_LINES = 15;
/** Rows of the exported campaign: about 4 MB of CSV, more than the sockets hold. */
const EXPORT_ROWS = 20_000;
/** How fast a slow reader reads: the export takes it about 20 s. */
const READER_BYTES_PER_SECOND = 200_000;
/** Webhook requests a second, sent on a clock whatever the answers (open loop). */
const WEBHOOK_PER_SECOND = 50;

let rig: Rig;
let service: Proc;
beforeAll(async () => {
  rig = await Rig.onFreshDatabase({
    SEND_RATE_PER_SECOND: String(RATE),
    UPLOADS_MAX_CONCURRENT: String(SLOW),
    EXPORTS_MAX_CONCURRENT: String(SLOW),
  });
  rig.provider.latencyMs = 5;
  service = await rig.spawn('all');
});
afterAll(async () => {
  await rig?.stop();
});

const base = () => service.base as string;

/** `wa_transfers_in_flight{kind}` as the process's /metrics shows it. */
async function inFlight(kind: 'upload' | 'export'): Promise<number> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`wa_transfers_in_flight{kind="${kind}"}`));
  return Number(line?.split(' ')[1] ?? 0);
}

/** A campaign (never started) with `rows` sent messages written straight in SQL. */
async function exportedCampaign(rows: number): Promise<string> {
  const list = await rig.call('POST', '/v1/lists', { name: 'exported' });
  const template = await rig.call('POST', '/v1/templates', {
    name: 'exported',
    namespace: 'ns',
    language: { code: 'en' },
    parameters: [],
  });
  const campaign = await rig.call('POST', '/v1/campaigns', {
    name: 'exported',
    templateId: template.body.id,
    listIds: [list.body.id],
  });
  const id = String(campaign.body.id);
  await rig.sql`
    insert into messages (campaign_id, contact_id, phone, kind, status, provider_message_id,
      attempts, sent_at)
    select ${id}, gen_random_uuid(), '+49152' || lpad(i::text, 8, '0'), 'template', 'sent',
      'true_49152' || lpad(i::text, 8, '0') || '@c.us_EXPORTED', 1, now()
    from generate_series(1, ${rows}) i`;
  return id;
}

describe('slow clients while a campaign sends', () => {
  it('ten slow uploads and ten slow export readers: the webhook p99 stays under 100 ms, /readyz 200, nothing lost', async () => {
    const sending = await rig.campaign(RECIPIENTS);
    const exported = await exportedCampaign(EXPORT_ROWS);
    const lists: string[] = [];
    for (let i = 0; i < SLOW; i++)
      lists.push(String((await rig.call('POST', '/v1/lists', { name: `slow ${i}` })).body.id));

    // The campaign sends, and the webhook takes acks of what it sent...
    await rig.startCampaign(sending);
    await waitFor(() => rig.provider.sends().length >= 100, { what: 'the first sends' });
    const readiness = readinessWatch(base());
    const webhook = webhookLoad(rig, base(), sending, WEBHOOK_PER_SECOND);
    // Its first second warms the webhook's path and connections up; the measure starts after.
    await waitFor(() => webhook.sent() >= WEBHOOK_PER_SECOND, { what: 'the webhook warm-up' });
    const slowFrom = performance.now();

    // ...while ten uploads come in at a line a second, and ten exports are read slowly.
    const uploads = lists.map((listId) =>
      openUpload(`${base()}/v1/lists/${listId}/imports`, TEST_API_TOKEN),
    );
    const trickling = uploads.map((upload, u) =>
      trickle(
        upload,
        [
          'phone,name',
          ...Array.from(
            { length: UPLOAD_LINES },
            (_, j) => `+49160${String(u * 100 + j).padStart(7, '0')},Slow${j}`,
          ),
        ],
        1000,
      ),
    );
    const exportUrl = `${base()}/v1/campaigns/${exported}/messages`;
    const readers = await Promise.all(
      lists.map(() =>
        openDownload(exportUrl, { authorization: `Bearer ${TEST_API_TOKEN}`, accept: 'text/csv' }),
      ),
    );
    const exports = readers.map((reader) => countLines(reader, READER_BYTES_PER_SECOND));
    await waitFor(async () => (await inFlight('upload')) === SLOW, { what: 'ten slow uploads' });
    await waitFor(async () => (await inFlight('export')) === SLOW, { what: 'ten slow exports' });
    await Promise.all(trickling);
    const answers = await Promise.all(uploads.map((u) => u.answer));
    const exportLines = await Promise.all(exports);
    await rig.completed(sending, 60_000);
    const { timings, statuses, acked } = await webhook.stop();
    const measured = timings.filter((t) => t.at >= slowFrom);
    const latencies = measured.map((t) => t.ms);
    const slowest = [...measured]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 15)
      .map((t) => `${Math.round(t.ms)} ms at +${Math.round(t.at - slowFrom)} ms`);
    const ready = await readiness.stop();

    const p99 = percentile(latencies, 99);
    console.info(
      `[faults] slow clients: ${latencies.length} webhook requests, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; /readyz ${ready.length} times`,
    );
    expect(latencies.length).toBeGreaterThan(WEBHOOK_PER_SECOND * 5);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(p99, `the slowest: ${slowest.join(', ')}`).toBeLessThan(100);
    expect(ready.every((s) => s === 200)).toBe(true);

    // Nothing lost: every recipient sent once, every ack stored and applied.
    expect(rig.provider.duplicates()).toEqual([]);
    await waitFor(
      async () => {
        const [row] = await rig.sql<{ stored: number; unapplied: number }[]>`
          select count(*)::int as stored, count(*) filter (where processed_at is null)::int as unapplied
          from webhook_events`;
        return row?.stored === acked.length && row.unapplied === 0;
      },
      { timeoutMs: 30_000, what: 'every webhook event stored and applied' },
    );
    const counts = await rig.counts(sending);
    expect(counts).toEqual({ sent: RECIPIENTS - acked.length, delivered: acked.length });
    // ...every slow upload imported whole, every slow reader given every row.
    for (const answer of answers) expect(answer.status, answer.body).toBe(202);
    for (const answer of answers) {
      const id = JSON.parse(answer.body).id as string;
      const done = await waitFor(
        async () => {
          const current = await rig.call('GET', `/v1/imports/${id}`);
          return current.body.status === 'completed' ? current.body : undefined;
        },
        { timeoutMs: 60_000, what: `import ${id}` },
      );
      expect(done).toMatchObject({ rows: UPLOAD_LINES, created: UPLOAD_LINES });
    }
    expect(exportLines).toEqual(readers.map(() => EXPORT_ROWS + 1));
  });
});
