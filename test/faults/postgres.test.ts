import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '../../src/db/embedded';
import { createLogger } from '../../src/logger';
import { waitFor } from '../helpers/service';
import { phoneOf, Rig, sleep } from './rig';

const RECIPIENTS = 5000;
const RATE = 500;
const DOWN_MS = 5000;

// A private PostgreSQL of this test, never the machine's shared server: it is stopped and
// started again on the same port and data folder, as a database restart would.
const logger = createLogger('warn');
let dataDir: string | undefined;
let server: EmbeddedDatabase | undefined;
let rig: Rig | undefined;
afterAll(async () => {
  await rig?.stop();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a PostgreSQL restart in the middle of a run', () => {
  it('is ridden out: the service reconnects by itself and finishes, without a duplicate', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wa-faults-pg-'));
    const port = await freePort();
    server = await startEmbeddedPostgres(dataDir, logger, { port });
    rig = await Rig.start(server.url, { SEND_RATE_PER_SECOND: String(RATE) });
    const service = await rig.spawn('all');
    const id = await rig.campaign(RECIPIENTS);
    await rig.startCampaign(id);

    await waitFor(() => rig && rig.provider.sends().length >= 1000, {
      timeoutMs: 60_000,
      what: 'a thousand sends',
    });
    await server.stop();
    server = undefined;
    const downAt = rig.provider.sends().length;
    await sleep(DOWN_MS);
    const duringDown = rig.provider.sends().length - downAt;
    server = await startEmbeddedPostgres(dataDir, logger, { port });
    const upAt = Date.now();
    await rig.completed(id, 120_000);
    const resumedAt = rig.provider.sends()[downAt + duringDown]?.receivedAt ?? Number.NaN;

    expect(service.child.exitCode, rig.logs()).toBeNull(); // the same process, never restarted
    const phones = rig.provider.sends().map(phoneOf);
    expect(new Set(phones).size).toBe(phones.length);
    const counts = await rig.counts(id);
    console.info(
      `[faults] database down ${DOWN_MS} ms after ${downAt} sends (${duringDown} more left meanwhile); sending resumed ${resumedAt - upAt} ms after it was back, completed after ${Date.now() - upAt} ms: ${JSON.stringify(counts)}`,
    );
    // Sends whose outcome could not be stored while the database was away are stored once it is
    // back: every recipient is sent.
    expect(counts).toEqual({ sent: RECIPIENTS });
    // Back at work within a lapsed lease (15 s) at worst: the dispatch waits out the outage and
    // gives its lease back once it can (docs/decisions.md, Sending: "A database outage is
    // waited out", has the figures).
    const warnings = service
      .output()
      .split('\n')
      .filter((line) => /"level":(40|50)/.test(line))
      .map((line) => {
        const j = JSON.parse(line) as { time: number; msg: string; err?: { message?: string } };
        return `${j.time} ${j.msg}: ${j.err?.message ?? ''}`;
      });
    expect(resumedAt - upAt, warnings.slice(-30).join('\n')).toBeLessThan(15_000);
    // It noticed, said so, and carried on.
    expect(service.output()).toMatch(/"level":(40|50)/);
  });
});
