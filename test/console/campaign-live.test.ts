import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LiveFigures, LiveHub } from '../../src/console/live';
import { api, type Json } from '../helpers/api';
import { expectAccessible, useConsole } from '../helpers/console';
import { campaignOver, inWords, statsOf, statusOf } from '../helpers/console-campaigns';
import { waitFor } from '../helpers/service';
import { ack, deliver } from '../helpers/webhooks';

const ts = useConsole();
let marketer: { email: string; password: string };
beforeAll(async () => {
  marketer = await ts.createUser('marketer', 'Mia Marketer');
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The session cookie of a signed-in browser, for plain fetch readers of the live stream. */
async function sessionCookie(): Promise<string> {
  const { context } = await ts.open({ who: marketer });
  const session = (await context.cookies()).find((cookie) => cookie.name === 'wbs_session');
  if (!session) throw new Error('no session cookie');
  return `wbs_session=${session.value}`;
}

/** Counts the loader runs of one live key: the hub is given a counting loader in its place. */
function countLoads(key: string): number[] {
  const runs: number[] = [];
  const subscribe = LiveHub.prototype.subscribe;
  vi.spyOn(LiveHub.prototype, 'subscribe').mockImplementation(function (
    this: LiveHub,
    each: string,
    load: () => Promise<LiveFigures>,
    listener: (figures: LiveFigures) => void,
  ) {
    const counted = () => {
      if (each === key) runs.push(Date.now());
      return load();
    };
    return subscribe.call(this, each, counted, listener);
  });
  return runs;
}

/** Opens the stream and reads until its first event: the reader is then a subscriber. */
async function openStream(path: string, cookie: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(`${ts.baseUrl}${path}`, { headers: { cookie }, signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  let text = '';
  while (!text.includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  // keep reading in the background, as a browser does, until the test aborts it
  void (async () => {
    try {
      while (!(await reader.read()).done) {}
    } catch {
      // aborted
    }
  })();
  return text;
}

describe('live figures on a campaign page', () => {
  it('moves the counters in place while it sends, then shows the final figures of the API', async () => {
    const id = await campaignOver(ts, 30, { name: 'Live sale', ratePerSecond: 2 }, { start: true });
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${id}`);
    await page.locator('[data-live-status]', { hasText: 'Live' }).waitFor();
    await expectAccessible(page);
    const sentAtLoad = await page.locator('[data-live="sent"]').textContent();
    await page.evaluate('window.__samePage = true');

    // the provider acknowledges the first sends as delivered
    const sent = await waitFor(
      async () => {
        const page = await api(ts).get(`/v1/campaigns/${id}/messages?status=sent&limit=5`);
        const rows = page.body.data as Json[];
        return rows.length >= 3 ? rows : undefined;
      },
      { what: 'three sends', timeoutMs: 20_000 },
    );
    await deliver(ts, {
      ack: sent.flatMap(
        (m) => ack(String(m.providerMessageId), String(m.phone), 'delivered').ack as Json[],
      ),
      instanceId: '777',
    });
    // the same document all along (no reload): its marker is still there when the figures move
    await waitFor(
      async () => {
        const same = await page.evaluate('window.__samePage === true').catch(() => false);
        const sentNow = await page.locator('[data-live="sent"]').textContent();
        const delivered = await page.locator('[data-live="delivered"]').textContent();
        return same && sentNow !== sentAtLoad && Number(delivered?.replace(/,/g, '')) >= 3;
      },
      { what: 'the live figures to move in place', timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(await statusOf(ts, id)).toBe('running');

    await waitFor(async () => (await statusOf(ts, id)) === 'completed', {
      what: 'the campaign to complete',
      timeoutMs: 40_000,
    });
    // the stream's end reloads the page once: the figures and the actions of a finished campaign
    await page.locator('.subtitle', { hasText: 'Completed' }).waitFor({ timeout: 20_000 });
    const final = await statsOf(ts, id);
    expect(final.sent).toBe(30);
    expect(await page.locator('[data-live="sent"]').textContent()).toBe(inWords(final.sent));
    expect(await page.locator('[data-live="delivered"]').textContent()).toBe(
      inWords(final.delivered),
    );
    expect(await page.locator('[data-live="pending"]').textContent()).toBe('0');
  }, 120_000);

  it('serves 100 open pages of one campaign with one load a second, and stops when they close', async () => {
    const id = await campaignOver(ts, 5, { name: 'Watched', ratePerSecond: 0.01 }, { start: true });
    expect((await api(ts).post(`/v1/campaigns/${id}/pause`)).status).toBe(200);
    const cookie = await sessionCookie();
    const loads = countLoads(`campaign:${id}`);
    const abort = new AbortController();
    const first = await Promise.all(
      Array.from({ length: 100 }, () => openStream(`/campaigns/${id}/live`, cookie, abort.signal)),
    );
    expect(first.every((text) => text.includes('"pending"'))).toBe(true);
    const since = loads.length;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const during = loads.length - since;
    // one load a second for the key, whatever the number of pages (a tick may straddle; the
    // next load waits a second after the last one ended, which a loaded machine makes slow)
    expect(during).toBeGreaterThanOrEqual(1);
    expect(during).toBeLessThanOrEqual(4);

    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const afterClose = loads.length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(loads.length).toBe(afterClose);
  }, 90_000);

  it('ends the stream of a finished campaign with its final figures', async () => {
    const id = await campaignOver(ts, 2, { name: 'Done', ratePerSecond: 100 }, { start: true });
    await waitFor(async () => (await statusOf(ts, id)) === 'completed', { timeoutMs: 20_000 });
    const response = await fetch(`${ts.baseUrl}/campaigns/${id}/live`, {
      headers: { cookie: await sessionCookie() },
    });
    const text = await response.text();
    expect(text).toContain('"done":true');
    expect(text).toContain('event: end');
    expect(text).toContain('"sent":"2"');
    const missing = await fetch(`${ts.baseUrl}/campaigns/${crypto.randomUUID()}/live`, {
      headers: { cookie: await sessionCookie() },
    });
    expect(missing.status).toBe(404);
  }, 60_000);
});
