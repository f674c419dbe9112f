import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone';

describe('normalizePhone', () => {
  it('gives one E.164 form for the ways people write a number', () => {
    for (const raw of [
      '+7 (999) 525-34-22',
      '79995253422',
      '+79995253422',
      '0079995253422',
      ' +7 999 525 34 22 ',
    ]) {
      expect(normalizePhone(raw), raw).toEqual({ ok: true, e164: '+79995253422' });
    }
  });

  it('handles numbers from several countries, with and without a default country', () => {
    expect(normalizePhone('+49 151 12345678')).toEqual({ ok: true, e164: '+4915112345678' });
    expect(normalizePhone('0151 12345678', 'DE')).toEqual({ ok: true, e164: '+4915112345678' });
    expect(normalizePhone('4915112345678', 'DE')).toEqual({ ok: true, e164: '+4915112345678' });
    expect(normalizePhone('(415) 555-2671', 'US')).toEqual({ ok: true, e164: '+14155552671' });
    expect(normalizePhone('+44 7911 123456')).toEqual({ ok: true, e164: '+447911123456' });
    expect(normalizePhone('+55 11 99519-7732')).toEqual({ ok: true, e164: '+5511995197732' });
    expect(normalizePhone('06 12 34 56 78', 'FR')).toEqual({ ok: true, e164: '+33612345678' });
    expect(normalizePhone('5519995197732', 'FR')).toEqual({ ok: true, e164: '+5519995197732' });
  });

  it('rejects impossible numbers with a reason', () => {
    expect(normalizePhone('12345')).toEqual({ ok: false, reason: 'too short' });
    expect(normalizePhone('+49 151 1234567890123')).toEqual({ ok: false, reason: 'too long' });
    expect(normalizePhone('')).toEqual({ ok: false, reason: 'empty' });
    expect(normalizePhone('call me maybe')).toEqual({ ok: false, reason: 'not a phone number' });
    expect(normalizePhone('n/a')).toEqual({ ok: false, reason: 'not a phone number' });
    expect(normalizePhone('0151 12345678')).toMatchObject({ ok: false });
  });
});
