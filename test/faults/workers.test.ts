import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pace, perSecond } from '../helpers/pace';
import { phoneOf, Rig } from './rig';

const RATE = 500;
const CAMPAIGNS = 3;
const PER_CAMPAIGN = 2000;

let rig: Rig;
beforeAll(async () => {
  rig = await Rig.onFreshDatabase({ SEND_RATE_PER_SECOND: String(RATE) });
  rig.provider.latencyMs = 5;
});
afterAll(async () => {
  await rig?.stop();
});

describe('three worker processes sharing one database', () => {
  it('send three campaigns at once without a duplicate, holding the account pace between them', async () => {
    await rig.spawn('api');
    // One run at a time per process, so that the three runs' dispatch jobs spread over them.
    for (let i = 0; i < 3; i++) await rig.spawn('worker', { DISPATCH_CONCURRENCY: '1' });
    const ids: string[] = [];
    for (let c = 0; c < CAMPAIGNS; c++) ids.push(await rig.campaign(PER_CAMPAIGN, c * 100_000));
    for (const id of ids) await rig.startCampaign(id);
    for (const id of ids) await rig.completed(id, 120_000);

    const sends = rig.provider.sends();
    expect(sends).toHaveLength(CAMPAIGNS * PER_CAMPAIGN);
    const phones = sends.map(phoneOf);
    expect(new Set(phones).size).toBe(phones.length);
    for (const id of ids) expect(await rig.counts(id)).toEqual({ sent: PER_CAMPAIGN });

    const times = sends.map((r) => r.receivedAt).sort((a, b) => a - b);
    const { rate, seconds, busiest } = pace(times);
    console.info(
      `[faults] three workers: ${times.length} sends in ${seconds.toFixed(2)} s = ${rate.toFixed(1)}/s (set ${RATE}/s), busiest second ${busiest}; per second: ${perSecond(times).join(' ')}`,
    );
    // A loose bound: slots on one grid for all processes, a send up to 30 ms late still goes
    // (LATE_MS), plus the timers of starved processes. On a quiet machine lateness
    // stays far below that and the benchmark holds the rate + 5% in every second; this shared
    // 2-core machine, at a load of 6 or more, starves the event loops.
    expect(busiest).toBeLessThanOrEqual(Math.floor(RATE * 1.1));
    // Never faster than the set rate over the run. Slower only by the slots a starved process
    // reached too late (lost, never sent in a burst): within a few per cent on a quiet machine
    // (FAULT_STRICT_PACE=1 asserts it); far lower on a loaded machine (docs/decisions.md, Fault
    // suite).
    expect(rate).toBeLessThanOrEqual(RATE * 1.03);
    if (process.env.FAULT_STRICT_PACE === '1') {
      expect(busiest).toBeLessThanOrEqual(Math.floor(RATE * 1.05));
      expect(rate).toBeGreaterThan(RATE * 0.95);
    }
  });
});
