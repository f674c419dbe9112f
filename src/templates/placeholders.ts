/**
 * `{{attribute}}` and `{{attribute|fallback}}` placeholders, parsed once into segments that both
 * the TypeScript renderer and the SQL of the audience snapshot render the same way.
 */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'attribute'; name: string; fallback?: string };

export type ParseResult = { ok: true; segments: Segment[] } | { ok: false; message: string };

const OPEN = '{{';
const CLOSE = '}}';

export function parsePlaceholders(input: string): ParseResult {
  const segments: Segment[] = [];
  let rest = input;
  for (;;) {
    const open = rest.indexOf(OPEN);
    const strayClose = rest.indexOf(CLOSE);
    // A `}}` before any `{{` is a typo such as `{first_name}}`: refuse it rather than send it.
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      return { ok: false, message: `"}}" without a matching "{{" in "${input}"` };
    }
    if (open === -1) break;
    if (open > 0) segments.push({ kind: 'text', text: rest.slice(0, open) });
    const close = rest.indexOf(CLOSE, open + OPEN.length);
    if (close === -1) return { ok: false, message: `"{{" without a closing "}}" in "${input}"` };
    const inner = rest.slice(open + OPEN.length, close);
    if (inner.includes('{') || inner.includes('}')) {
      return { ok: false, message: `nested braces in placeholder "{{${inner}}}"` };
    }
    const bar = inner.indexOf('|');
    const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    if (name === '') return { ok: false, message: `placeholder "{{${inner}}}" names no attribute` };
    segments.push(
      bar === -1
        ? { kind: 'attribute', name }
        : { kind: 'attribute', name, fallback: inner.slice(bar + 1) },
    );
    rest = rest.slice(close + CLOSE.length);
  }
  if (rest !== '') segments.push({ kind: 'text', text: rest });
  return { ok: true, segments };
}

/** Blank values count as missing: `btrim` in SQL trims the same characters. */
export const BLANK_CHARACTERS = ' \t\r\n';
const blank = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function trimBlank(value: string): string {
  return value.replace(blank, '');
}
