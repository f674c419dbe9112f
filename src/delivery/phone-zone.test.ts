import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { zoneOfPhone } from './phone-zone';
import { PHONE_ZONE_MAX_PREFIX, PHONE_ZONE_PREFIXES } from './phone-zones.data';

describe('zoneOfPhone', () => {
  it.each([
    ['+33612345678', 'Europe/Paris'],
    ['+12125550123', 'America/New_York'],
    ['+14155550123', 'America/Los_Angeles'],
    ['+14165550123', 'America/Toronto'],
    ['+17095550123', 'America/St_Johns'],
    ['+19075550123', 'America/Anchorage'],
    ['+77272123456', 'Asia/Almaty'],
    ['+79161234567', 'Europe/Moscow'],
    ['+73832123456', 'Asia/Novosibirsk'],
    ['+447911123456', 'Europe/London'],
    ['+919812345678', 'Asia/Kolkata'],
    ['+5511987654321', 'America/Sao_Paulo'],
    ['+61212345678', 'Australia/Sydney'],
    ['+61891234567', 'Australia/Adelaide'],
    ['+526641234567', 'America/Tijuana'],
    ['+5215512345678', 'America/Mexico_City'],
    ['+212612345678', 'Africa/Casablanca'],
    ['+262639123456', 'Indian/Mayotte'],
    ['+262692123456', 'Indian/Reunion'],
  ])('places %s in %s', (phone, zone) => {
    expect(zoneOfPhone(phone)).toBe(zone);
  });

  it('places no number of an unassigned calling code, nor a number shorter than any prefix', () => {
    expect(zoneOfPhone('+999123456')).toBeNull();
    expect(zoneOfPhone('+')).toBeNull();
  });
});

describe('the phone zone table', () => {
  const zones = [...new Set(PHONE_ZONE_PREFIXES.map(([, zone]) => zone))];

  it('has short digit prefixes, each once', () => {
    const prefixes = PHONE_ZONE_PREFIXES.map(([prefix]) => prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[1-9]\d*$/);
    expect(Math.max(...prefixes.map((prefix) => prefix.length))).toBeLessThanOrEqual(
      PHONE_ZONE_MAX_PREFIX,
    );
    expect(prefixes.length).toBeLessThan(3000);
  });

  it('names zones that Intl knows', () => {
    for (const timeZone of zones)
      expect(() => new Intl.DateTimeFormat('en', { timeZone })).not.toThrow();
  });

  it('names zones that PostgreSQL knows', async () => {
    const sql = postgres(inject('adminUrl'), { max: 1, onnotice: () => {} });
    try {
      const known = await sql<{ name: string }[]>`
        select name from pg_timezone_names where name = any(${zones})`;
      expect(zones.filter((zone) => !known.some((row) => row.name === zone))).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});
