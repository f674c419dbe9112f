import { TEST_WEBHOOK_SECRET } from '../helpers/service';
import { ack } from '../helpers/webhooks';
import { type Rig, sleep } from './rig';

/**
 * Acks for the campaign's sent messages (what the provider's webhook would post), `perSecond`
 * of them a second on a clock whatever the answers, each timed from its send to its answer,
 * until `stop` is called; answers when each was sent and how long it took, every status, and
 * the acked ids.
 */
export function webhookLoad(rig: Rig, base: string, campaignId: string, perSecond: number) {
  const timings: { at: number; ms: number }[] = [];
  const statuses: number[] = [];
  const acked: string[] = [];
  const requests: Promise<void>[] = [];
  let stopped = false;
  let lastId = 0;
  const queue: { id: number; providerId: string; phone: string }[] = [];
  const url = `${base}/webhooks/chat-api?secret=${encodeURIComponent(TEST_WEBHOOK_SECRET)}`;
  const post = async (providerId: string, phone: string) => {
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ack(providerId, phone, 'delivered')),
    });
    await response.text();
    timings.push({ at: started, ms: performance.now() - started });
    statuses.push(response.status);
  };
  const running = (async () => {
    const interval = 1000 / perSecond;
    for (let tick = performance.now(); !stopped; tick += interval) {
      if (queue.length === 0) {
        // The test's own connection, not the service's: sent rows whose outcome is stored.
        const rows = await rig.sql<{ id: number; providerId: string; phone: string }[]>`
          select id::int, provider_message_id as "providerId", phone from messages
          where campaign_id = ${campaignId} and status = 'sent' and id > ${lastId}
          order by id limit 100`;
        queue.push(...rows);
        lastId = rows.at(-1)?.id ?? lastId;
      }
      const next = queue.shift();
      if (next) {
        acked.push(next.providerId);
        requests.push(post(next.providerId, next.phone));
      }
      await sleep(Math.max(0, tick + interval - performance.now()));
    }
  })();
  return {
    sent: () => requests.length,
    stop: async () => {
      stopped = true;
      await running;
      await Promise.all(requests);
      return { timings, statuses, acked };
    },
  };
}

/** /readyz every 250 ms until `stop`; answers every status seen (0: no answer within 5 s). */
export function readinessWatch(base: string) {
  const statuses: number[] = [];
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) }).catch(
        () => undefined,
      );
      statuses.push(response?.status ?? 0);
      await sleep(250);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      return statuses;
    },
  };
}
