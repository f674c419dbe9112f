import { describe, expect, it } from 'vitest';
import { contactsOf, createList, upload, waitForImport } from './helpers/audience';
import { factories } from './helpers/factories';
import { TEST_API_TOKEN, useTestService, waitFor } from './helpers/service';
import { countLines, openDownload, openUpload, trickle } from './helpers/slow-client';
import { ack, postWebhook } from './helpers/webhooks';

const CAP = 10;
const IDLE_SECONDS = 2;

const t = useTestService({
  env: {
    UPLOADS_MAX_CONCURRENT: String(CAP),
    EXPORTS_MAX_CONCURRENT: String(CAP),
    UPLOAD_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
  },
});

/** Uploads or exports this process has in flight, from its own metrics registry. */
async function inFlight(kind: 'upload' | 'export'): Promise<number> {
  const metric = t.service.ctx.metrics.registry.getSingleMetric('wa_transfers_in_flight');
  const values = (await metric?.get())?.values ?? [];
  return values.find((v) => v.labels.kind === kind)?.value ?? 0;
}

/**
 * What the slow clients must not take from anyone: /readyz answers 200, and webhook events are
 * stored as fast as ever (each within a second on this shared machine, 2.5 s allowed for a
 * stall of loaded cores; it took until the slow clients ended before).
 */
async function expectOthersServed() {
  const started = Date.now();
  const ready = await t.request('/readyz', { auth: false, signal: AbortSignal.timeout(5000) });
  expect(ready.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(2500);
  for (let i = 0; i < 10; i++) {
    const sent = Date.now();
    const response = await postWebhook(t, ack(`true_slow_${i}`, '+4915100000001', 'delivered'));
    expect(response.status).toBe(200);
    expect(Date.now() - sent).toBeLessThan(2500);
  }
}

async function expectBusy(response: {
  status: number;
  headers: Headers | Record<string, unknown>;
}) {
  expect(response.status).toBe(429);
  const retryAfter =
    response.headers instanceof Headers
      ? response.headers.get('retry-after')
      : response.headers['retry-after'];
  expect(Number(retryAfter)).toBeGreaterThan(0);
}

describe('slow clients', () => {
  it('ten slow uploads (a line a second) leave /readyz and the webhook fast; the eleventh gets 429 with Retry-After', async () => {
    const lists = await Promise.all(Array.from({ length: CAP }, () => createList(t)));
    const uploads = lists.map((listId) =>
      openUpload(`${t.baseUrl}/v1/lists/${listId}/imports`, TEST_API_TOKEN),
    );
    const lines = (i: number) => [
      'phone,name',
      ...Array.from({ length: 5 }, (_, j) => `+49151${String(i * 10 + j).padStart(8, '0')},N${j}`),
    ];
    const sending = uploads.map((u, i) => trickle(u, lines(i), 1000));
    await waitFor(async () => (await inFlight('upload')) === CAP, { what: 'ten uploads' });

    await expectOthersServed();
    const eleventh = await upload(t, lists[0] as string, 'phone\n+4915199999999\n');
    await expectBusy(eleventh);
    expect(await eleventh.json()).toMatchObject({ code: 'too_many_requests' });
    // All of the above ran while every upload was still coming in.
    expect(uploads.some((u) => u.answered())).toBe(false);

    await Promise.all(sending);
    for (const [i, u] of uploads.entries()) {
      const answer = await u.answer;
      expect(answer.status, answer.body).toBe(202);
      const done = await waitForImport(t, JSON.parse(answer.body).id);
      expect(done).toMatchObject({ status: 'completed', rows: 5, created: 5 });
      expect((await contactsOf(t, lists[i] as string)).length).toBe(5);
    }
    expect(await inFlight('upload')).toBe(0);
  });

  it('ten slow readers of the messages CSV export leave /readyz and the webhook fast; the eleventh gets 429', async () => {
    const messages = 50_000;
    const campaignId = await campaignWithMessages(messages);
    const url = `${t.baseUrl}/v1/campaigns/${campaignId}/messages`;
    const headers = { authorization: `Bearer ${TEST_API_TOKEN}`, accept: 'text/csv' };
    // Each answer stays unread: the service has sent what the sockets hold, and waits.
    const readers = await Promise.all(
      Array.from({ length: CAP }, () => openDownload(url, headers)),
    );
    for (const reader of readers) expect(reader.statusCode).toBe(200);
    await waitFor(async () => (await inFlight('export')) === CAP, { what: 'ten exports' });

    await expectOthersServed();
    const eleventh = await t.request(`/v1/campaigns/${campaignId}/messages`, {
      headers: { accept: 'text/csv' },
      signal: AbortSignal.timeout(5000),
    });
    await expectBusy(eleventh);
    expect(readers.some((r) => r.complete)).toBe(false);

    // Nothing lost to the wait: every reader gets every row.
    const lines = await Promise.all(readers.map((r) => countLines(r)));
    expect(lines).toEqual(readers.map(() => messages + 1));
    await waitFor(async () => (await inFlight('export')) === 0, { what: 'the exports to end' });
  });

  it('cuts an upload that stalls for the idle timeout, with 408, and stores nothing of it', async () => {
    const listId = await createList(t);
    const stalled = openUpload(`${t.baseUrl}/v1/lists/${listId}/imports`, TEST_API_TOKEN);
    stalled.write('phone,name\n+4915188888881,Stalled\n');
    const lastByte = Date.now();
    const answer = await Promise.race([
      stalled.answer,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the stalled upload was never cut')), 10_000),
      ),
    ]);
    expect(answer.status, answer.body).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'request_timeout' });
    expect(Date.now() - lastByte).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 100);
    await stalled.closed;

    const { sql } = t.service.ctx.database;
    const [stored] = await sql<{ n: number }[]>`
      select count(*)::int as n from imports where list_id = ${listId}`;
    expect(stored?.n).toBe(0);
    expect(await inFlight('upload')).toBe(0);
    // The list takes the next file as if nothing had happened.
    const next = await upload(t, listId, 'phone,name\n+4915188888882,Next\n');
    expect(next.status).toBe(202);
    await waitForImport(t, ((await next.json()) as { id: string }).id);
    expect((await contactsOf(t, listId)).map((c) => c.phone)).toEqual(['+4915188888882']);
  });

  it('lives on when a client drops a multipart upload mid-body, and stores nothing of it', async () => {
    const listId = await createList(t);
    const boundary = 'dropped-upload';
    const dropped = openUpload(
      `${t.baseUrl}/v1/lists/${listId}/imports`,
      TEST_API_TOKEN,
      `multipart/form-data; boundary=${boundary}`,
    );
    dropped.write(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\n` +
        'content-type: text/csv\r\n\r\nphone,name\n+4915188888883,Dropped\n',
    );
    await waitFor(async () => (await inFlight('upload')) === 1, { what: 'the upload to arrive' });
    dropped.abort();
    await dropped.closed;
    // The aborted body failed the multipart parser's source: an unhandled stream error ended the
    // whole process. Now it is the upload's own failure.
    await waitFor(async () => (await inFlight('upload')) === 0, { what: 'the upload to end' });
    const { sql } = t.service.ctx.database;
    const [stored] = await sql<{ n: number }[]>`
      select count(*)::int as n from imports where list_id = ${listId}`;
    expect(stored?.n).toBe(0);
    await expectOthersServed();
  });
});

/** A finished campaign with `count` sent messages, written straight in SQL. */
async function campaignWithMessages(count: number): Promise<string> {
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const { campaign, run } = await f.campaignWithRun({
    name: 'Exported',
    templateId,
    listIds: [],
    status: 'completed',
  });
  const { sql } = t.service.ctx.database;
  await sql`
    insert into messages (run_id, campaign_id, contact_id, phone, kind, status,
      provider_message_id, attempts, sent_at)
    select ${run.id}, ${campaign.id}, gen_random_uuid(), '+49152' || lpad(i::text, 8, '0'),
      'template', 'sent', 'true_49152' || lpad(i::text, 8, '0') || '@c.us_0123456789ABCDEF', 1, now()
    from generate_series(1, ${count}) i`;
  return campaign.id;
}
