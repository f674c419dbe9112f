import { Metadata, type MetadataJson } from 'libphonenumber-js/core';
import {
  type CountryCode,
  getCountryCallingCode,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';
import maxMetadata from 'libphonenumber-js/max/metadata';

/**
 * `withoutCountry`: the number has no `+` or `00` and there was no default country, so it was
 * read as international; written locally, it would need one.
 */
export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; reason: string; withoutCountry?: true };

const reasons: Record<string, string> = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'wrong length for its country',
  INVALID_COUNTRY: 'unknown country code',
  NOT_A_NUMBER: 'not a phone number',
};

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
    const e164 = possibleE164(input, country);
    if (e164) return { ok: true, e164 };
    reason ??= describe(input, country);
  }
  return {
    ok: false,
    reason: reason ?? (reasons.NOT_A_NUMBER as string),
    ...(international || defaultCountry ? {} : { withoutCountry: true }),
  };
}

function describe(input: string, country: CountryCode | undefined): string {
  const code = validatePhoneNumberLength(input, country ? { defaultCountry: country } : {});
  return (code && reasons[code]) || (reasons.NOT_A_NUMBER as string);
}

/*
 * The fast way to libphonenumber's answer. Where several countries share a calling code (+1
 * has 25, +44 four, +7 two), its parser tries each country's number patterns to find which one
 * the number belongs to: 12-15 µs a number instead of 3, most of an import's time. Our answer
 * (the E.164 form and whether the length is possible) needs that country only in two cases:
 * - when a national prefix is stripped (`+44 (0)20…`), the country decides whether what is left
 *   is long enough to strip it;
 * - when the countries of the calling code disagree on whether the number's length is possible
 *   (+44 with 7 or 9 digits).
 * So an international number written plainly (`+`, digits, the usual separators) is read here,
 * on libphonenumber's metadata: the calling code, then the national number, checked against
 * the main country's national prefix and every country's possible lengths. Whenever a prefix
 * could be stripped or the lengths disagree, libphonenumber's full parse answers. (Its own
 * parse on a single-country metadata took 3 µs a number, a third of an import's main thread;
 * this takes a tenth of that.) The tests compare the two on random numbers of every calling
 * code, written every way.
 */
type Metadatas = MetadataJson & { country_calling_codes: Record<string, string[]> };
const fullMetadata = maxMetadata as unknown as Metadatas;

type CallingCode = {
  /** National lengths every country of the calling code allows, and those some country does. */
  every: Set<number>;
  some: Set<number>;
  /** The main country's national prefix, at the start of a national number. */
  nationalPrefix: RegExp | undefined;
};

/**
 * Per calling code. A country without lengths in the metadata allows any: its calling code
 * always takes the full parse (no such country in today's metadata).
 */
const callingCodes: ReadonlyMap<string, CallingCode> = readCallingCodes();

function readCallingCodes(): Map<string, CallingCode> {
  const codes = new Map<string, CallingCode>();
  for (const [code, countries] of Object.entries(fullMetadata.country_calling_codes)) {
    const plans = countries.map((country) => {
      const metadata = new Metadata(fullMetadata);
      metadata.selectNumberingPlan(country as CountryCode);
      return metadata.numberingPlan as
        | (NonNullable<Metadata['numberingPlan']> & {
            nationalPrefixForParsing(): string | undefined;
          })
        | undefined;
    });
    const lengths = plans.map((plan) => plan?.possibleLengths());
    if (lengths.some((each) => !each?.length)) continue;
    const sets = lengths.map((each) => new Set(each));
    const some = new Set(sets.flatMap((each) => [...each]));
    const every = new Set([...some].filter((length) => sets.every((each) => each.has(length))));
    const prefix = plans[0]?.nationalPrefixForParsing();
    codes.set(code, {
      every,
      some,
      nationalPrefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    });
  }
  return codes;
}

/**
 * `+`, then ASCII digits and spaces, dots, dashes, brackets: nothing else for the parser to read.
 * (libphonenumber refuses a tab, a line break or a no-break space inside a number.)
 */
const PLAIN_INTERNATIONAL = /^\+[0-9 ().-]+$/;

/** libphonenumber reads no text longer than this. */
const MAX_INPUT_LENGTH = 250;

/** Exactly `parsePhoneNumberFromString(input, { defaultCountry }).isPossible()` and its number. */
export function possibleE164(input: string, defaultCountry?: CountryCode): string | undefined {
  if (!defaultCountry && input.length <= MAX_INPUT_LENGTH && PLAIN_INTERNATIONAL.test(input)) {
    const digits = input.replace(/\D/g, '');
    // Calling codes are 1 to 3 digits, and none is the start of another.
    for (let length = 1; length <= 3; length++) {
      const code = callingCodes.get(digits.slice(0, length));
      if (!code) continue;
      const national = digits.slice(length);
      const prefix = code.nationalPrefix?.exec(national);
      // libphonenumber would take nothing off the national number
      const untouched =
        !prefix || (prefix[0] === '' && prefix.slice(1).every((group) => group === undefined));
      if (untouched && code.every.has(national.length)) return `+${digits}`;
      if (untouched && !code.some.has(national.length)) return undefined;
      break;
    }
  }
  const exact = parsePhoneNumberFromString(input, defaultCountry ? { defaultCountry } : {});
  return exact?.isPossible() ? exact.number : undefined;
}
