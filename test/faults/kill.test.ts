import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/service';
import { faultSeed, type Proc, phoneOf, Rig, seededRandom, sleep } from './rig';

const RECIPIENTS = 10_000;
const RATE = 1000;
const KILLS = 4;
/** An answer the service got this shortly before the kill may not be stored yet: in flight. */
const STORE_WINDOW_MS = 250;
/**
 * Rows claimed but not yet left: they are claimed 20 ms ahead of their slots, and a slot up to
 * 30 ms late (LATE_MS: a busy event loop) is still used; 125 ms of slots leaves room to spare.
 */
const CLAIM_SLACK = Math.ceil(RATE * 0.125);

let rig: Rig;
beforeAll(async () => {
  rig = await Rig.onFreshDatabase({ SEND_RATE_PER_SECOND: String(RATE) });
  rig.provider.latencyMs = 30; // sends are in flight when the kill lands
});
afterAll(async () => {
  await rig?.stop();
});

type Kill = { at: number; exitedAt: number; inFlight: number; sending: string[] };

describe('SIGKILL of a worker at random moments during a 10,000-recipient run', () => {
  it('restarted each time: no duplicate, every recipient final, unknown no more than in flight', async () => {
    const random = seededRandom(faultSeed('worker kills'));
    await rig.spawn('api');
    let worker: Proc = await rig.spawn('worker');
    const id = await rig.campaign(RECIPIENTS);
    await rig.startCampaign(id);
    const started = Date.now();

    const kills: Kill[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Let the (re)started worker get going, then kill it at a random moment.
      const before = rig.provider.sends().length;
      await waitFor(() => rig.provider.sends().length > before + 100, {
        timeoutMs: 60_000,
        what: `sending to resume before kill ${k + 1}\n${rig.logs()}`,
      });
      await sleep(Math.floor(random() * 1500));
      const at = Date.now();
      await rig.kill(worker);
      const exitedAt = Date.now();
      const inFlight = rig.provider
        .sends()
        .filter((r) => r.answeredAt === undefined || r.answeredAt >= at - STORE_WINDOW_MS).length;
      const left = await rig.phones(id, 'sending');
      kills.push({ at, exitedAt, inFlight, sending: left });
      const reached = new Set(rig.provider.sends().map(phoneOf));
      console.info(
        `[faults] kill ${k + 1} at ${at - started} ms: ${reached.size} sends so far, ${inFlight} in flight at the provider, ${left.length} rows left sending (${left.filter((p) => !reached.has(p)).length} of them never left)`,
      );
      worker = await rig.spawn('worker');
      if (rig.provider.sends().length > RECIPIENTS - 2000) break; // keep some run after it
    }
    await rig.completed(id, 120_000);
    console.info(`[faults] the run completed ${Date.now() - started} ms after its start`);

    const sends = rig.provider.sends();
    // Zero duplicates: no recipient was sent the template twice, whatever the answers.
    const phones = sends.map(phoneOf);
    expect(new Set(phones).size).toBe(phones.length);
    // Every recipient ends in a final, visible state; nothing is pending or sending.
    const counts = await rig.counts(id);
    expect((counts.sent ?? 0) + (counts.unknown ?? 0)).toBe(RECIPIENTS);
    // Exactly the rows in flight at the kills became unknown, no more per kill than the sends
    // in flight at the provider (plus those claimed just ahead of their slots).
    const unknown = new Set(await rig.phones(id, 'unknown'));
    const leftSending = kills.flatMap((k) => k.sending);
    expect(unknown.size).toBe(leftSending.length);
    expect([...unknown].sort()).toEqual([...leftSending].sort());
    for (const kill of kills)
      expect(kill.sending.length).toBeLessThanOrEqual(kill.inFlight + CLAIM_SLACK);
    // An unknown row that reached the provider did so just before a kill, never long before.
    const receivedAt = new Map(sends.map((r) => [phoneOf(r), r.receivedAt]));
    for (const phone of unknown) {
      const at = receivedAt.get(phone);
      if (at === undefined) continue; // claimed, but had not left
      const near = kills.some((k) => at <= k.exitedAt && at > k.at - 2000);
      expect(
        near,
        `${phone} reached the provider at ${at}; kills ${JSON.stringify(kills.map((k) => [k.at, k.exitedAt]))}`,
      ).toBe(true);
    }
    // Every row stored as sent was accepted by the provider.
    const accepted = new Set(sends.filter((r) => r.accepted).map(phoneOf));
    for (const phone of await rig.phones(id, 'sent')) expect(accepted.has(phone)).toBe(true);

    // The operator's retry of `unknown` rows: they go out once more. Those that had reached the
    // provider are then duplicates: that is why unknown rows are never re-sent on their own and
    // why docs/operations.md asks to check them first.
    const retry = await rig.call('POST', `/v1/campaigns/${id}/retry`, { statuses: ['unknown'] });
    expect(retry.status).toBe(202);
    expect(retry.body.requeued).toBe(unknown.size);
    await rig.completed(id, 60_000);
    expect(await rig.counts(id)).toEqual({ sent: RECIPIENTS });
    const reachedBefore = [...unknown].filter((p) => receivedAt.has(p)).sort();
    expect(rig.provider.duplicates().sort()).toEqual(reachedBefore);
    expect(rig.provider.sends().length).toBe(sends.length + unknown.size);
  }, 240_000);
});
