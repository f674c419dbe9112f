import fc from 'fast-check';
import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { normalizePhone, possibleE164 } from './phone';

/** What possibleE164 must equal: libphonenumber's own parse, with its country detection. */
function fullParse(input: string, defaultCountry?: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(input, defaultCountry ? { defaultCountry } : {});
  return parsed?.isPossible() ? parsed.number : undefined;
}

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
    // written without + or 00, and no default country to read it in: flagged as such
    expect(normalizePhone('12345')).toEqual({
      ok: false,
      reason: 'too short',
      withoutCountry: true,
    });
    expect(normalizePhone('12', 'DE')).toEqual({ ok: false, reason: 'too short' });
    expect(normalizePhone('+49 151 1234567890123')).toEqual({ ok: false, reason: 'too long' });
    expect(normalizePhone('')).toEqual({ ok: false, reason: 'empty' });
    expect(normalizePhone('call me maybe')).toEqual({ ok: false, reason: 'not a phone number' });
    expect(normalizePhone('n/a')).toEqual({ ok: false, reason: 'not a phone number' });
    expect(normalizePhone('0151 12345678')).toEqual({
      ok: false,
      reason: 'unknown country code',
      withoutCountry: true,
    });
  });

  it('answers exactly as the full parse, for numbers of every calling code written every way', () => {
    const countries = getCountries();
    const written = fc
      .record({
        country: fc.constantFrom(...countries),
        digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 17 }),
        prefix: fc.constantFrom('+', '00', '', '+'),
        separator: fc.constantFrom(
          '',
          ' ',
          '-',
          ' (',
          '.',
          ' - ',
          ')(',
          '\t',
          '\n',
          '\u00a0',
          '\ufeff',
        ),
        defaultCountry: fc.option(fc.constantFrom(...countries), { nil: undefined }),
      })
      .map(({ country, digits, prefix, separator, defaultCountry }) => {
        const national = digits.join('');
        const cut = Math.floor(national.length / 2);
        const input = `${prefix}${prefix ? getCountryCallingCode(country) : ''}${separator}${national.slice(0, cut)}${separator.trim() ? ')' : ''} ${national.slice(cut)}`;
        return { input, defaultCountry };
      });
    fc.assert(
      fc.property(written, ({ input, defaultCountry }) => {
        expect(possibleE164(input, defaultCountry)).toBe(fullParse(input, defaultCountry));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers exactly as the full parse when a national prefix follows the calling code', () => {
    for (const input of [
      '+44 (0) 20 7946 0000',
      '+44 0 7911 123456',
      '+7 8 999 525 34 22',
      '+61 0 4 1234 5678',
      '+262 0 262 12 34 56',
      '+590 0 590 27 12 34',
      '+358 0 18 12345',
      '+1 1094 4477',
      `+7${' '.repeat(250)}9995253422`,
      '+7 999 525 34 22 (ext) 12',
    ]) {
      expect(possibleE164(input), input).toBe(fullParse(input));
    }
    expect(possibleE164('+44 (0) 20 7946 0000')).toBe('+442079460000');
  });

  it("answers exactly as the full parse for every country's example numbers, at every length", () => {
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const national = example.nationalNumber as string;
      for (let length = 1; length <= 17; length++) {
        const digits = national.padEnd(length, '7').slice(0, length);
        for (const [input, defaultCountry] of [
          [`+${example.countryCallingCode}${digits}`, undefined],
          [`0${digits}`, country],
          [digits, country],
        ] as const) {
          expect(possibleE164(input, defaultCountry), `${input} ${defaultCountry}`).toBe(
            fullParse(input, defaultCountry),
          );
        }
      }
    }
  });
});
