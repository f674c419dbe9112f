import { getCountries } from 'libphonenumber-js/max';

const names = new Intl.DisplayNames(['en-GB'], { type: 'region' });

/**
 * The countries the import's phone normalisation knows (libphonenumber's, so any choice is one
 * the API takes), by their English names: the default country of an upload.
 */
export const countryChoices: readonly { code: string; name: string }[] = getCountries()
  .map((code) => ({ code, name: names.of(code) ?? code }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));

export const countryName = (code: string | null | undefined): string | null =>
  code ? (names.of(code) ?? code) : null;
