import {
  type CountryCode,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

const reasons: Record<string, string> = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'wrong length for its country',
  INVALID_COUNTRY: 'unknown country code',
  NOT_A_NUMBER: 'not a phone number',
};

export function isCountryCode(value: string): value is CountryCode {
  return isSupportedCountry(value);
}

/**
 * Normalises a phone number as people write it into E.164 (`+79995253422`), or says why it is
 * impossible. `00` is an international prefix; digits without `+` are tried against the default
 * country first, then as an international number without its `+` (`79995253422`), which is how
 * many CRMs export them. "Impossible" means libphonenumber's possibility check (the length for
 * the country), which accepts numbers from new ranges that its validity patterns do not know yet.
 */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): PhoneResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (!/\d/.test(text) || /[a-z]{3,}/i.test(text))
    return { ok: false, reason: reasons.NOT_A_NUMBER as string };
  const international = text.startsWith('+') || text.startsWith('00');
  const candidate = text.startsWith('00') ? `+${text.slice(2)}` : text;
  const attempts: [string, CountryCode | undefined][] = international
    ? [[candidate, undefined]]
    : defaultCountry
      ? [
          [candidate, defaultCountry],
          [`+${candidate}`, undefined],
        ]
      : [[`+${candidate}`, undefined]];

  // `4915112345678` with DE: the national reading (+49 4915…) is possible too; a number that
  // starts with the country's own calling code and is valid as such is taken as international.
  if (!international && defaultCountry) {
    const digits = candidate.replace(/\D/g, '');
    if (digits.startsWith(getCountryCallingCode(defaultCountry))) {
      const asInternational = parsePhoneNumberFromString(`+${digits}`);
      if (asInternational?.isValid()) return { ok: true, e164: asInternational.number };
    }
  }

  let reason: string | undefined;
  for (const [input, country] of attempts) {
    const parsed = parsePhoneNumberFromString(input, country ? { defaultCountry: country } : {});
    if (parsed?.isPossible()) return { ok: true, e164: parsed.number };
    reason ??= describe(input, country);
  }
  return { ok: false, reason: reason ?? (reasons.NOT_A_NUMBER as string) };
}

function describe(input: string, country: CountryCode | undefined): string {
  const code = validatePhoneNumberLength(input, country ? { defaultCountry: country } : {});
  return (code && reasons[code]) || (reasons.NOT_A_NUMBER as string);
}
