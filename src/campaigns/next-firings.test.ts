import { describe, expect, it } from 'vitest';
import { nextFirings } from './next-firings';

// PostgreSQL's zone names, as far as these tests need them
const zoneNames = {
  canonical: async (name: string) =>
    ['Europe/Paris', 'UTC'].find((zone) => zone.toLowerCase() === name.toLowerCase()),
};

describe("a local-time one-off's firing", () => {
  it('is when the first zone (UTC+14) reaches it, in words of each recipient’s zone', async () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const query = { at: '2026-12-01T10:00', timezone: 'Europe/Paris', count: 5 };
    const local = await nextFirings({ ...query, localTime: 'true' }, 60, zoneNames, now);
    expect(local.description).toBe("Once, on Tue 1 Dec at 10:00 in each recipient's time zone");
    // 10:00 at UTC+14 is 20:00 UTC the day before: 21:00 in Paris
    expect(local.next).toEqual([{ at: '2026-11-30T20:00:00.000Z', local: 'Mon 30 Nov, 21:00' }]);
    // without it, the time is Paris'
    expect((await nextFirings(query, 60, zoneNames, now)).next[0]?.at).toBe(
      '2026-12-01T09:00:00.000Z',
    );
    // a time the first zone has passed is refused as a campaign refuses it
    const late = await nextFirings(
      { ...query, at: '2026-11-29T23:00', localTime: 'true' },
      60,
      zoneNames,
      now,
    );
    expect(late.errors[0]?.path).toBe('at');
  });

  it("answers in the zone's spelling PostgreSQL has, and refuses one it lacks as a campaign does", async () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const query = { cron: '0 9 * * MON', count: 1 };
    const paris = await nextFirings({ ...query, timezone: 'europe/paris' }, 60, zoneNames, now);
    expect(paris.timezone).toBe('Europe/Paris');
    expect(paris.description).toContain('in Europe/Paris');
    // Node's Intl reads it; PostgreSQL (here: the fake's list) does not
    const gone = await nextFirings({ ...query, timezone: 'US/Pacific-New' }, 60, zoneNames, now);
    expect(gone.errors).toEqual([{ path: 'timezone', message: expect.stringMatching(/IANA/) }]);
    expect(gone.next).toEqual([]);
  });
});
