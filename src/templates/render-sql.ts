import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
import { BLANK_CHARACTERS, parsePlaceholders, type Segment } from './placeholders';
import { missingReason } from './render';

type Fragment = PendingQuery<Row[]>;

function join(sql: Sql | TransactionSql, parts: Fragment[], separator: Fragment): Fragment {
  const [first, ...rest] = parts;
  if (!first) return sql``;
  return rest.reduce((acc, part) => sql`${acc}${separator}${part}`, first);
}

/**
 * The SQL twin of `renderParameters` (render.ts), so that an audience snapshot renders a million
 * contacts inside PostgreSQL instead of loading them: `params` is the text[] of rendered
 * parameters and `reason` the skip reason (null when the contact can be sent), both over the
 * contact's `attributes` column named by `attributes`. The integration tests hold the two equal.
 */
export function renderSql(
  sql: Sql | TransactionSql,
  parameters: string[],
  attributes: Fragment,
): { params: Fragment; reason: Fragment } {
  const texts: Fragment[] = [];
  const reasons: Fragment[] = [];
  for (const parameter of parameters) {
    const parsed = parsePlaceholders(parameter);
    if (!parsed.ok) throw new Error(`template parameter does not parse: ${parsed.message}`);
    const value = (segment: Extract<Segment, { kind: 'attribute' }>) =>
      sql`nullif(btrim(${attributes} ->> ${segment.name}::text, ${BLANK_CHARACTERS}::text), '')`;
    const pieces = parsed.segments.map((segment) =>
      segment.kind === 'text'
        ? sql`${segment.text}::text`
        : sql`coalesce(${value(segment)}, ${segment.fallback ?? ''}::text)`,
    );
    const text = pieces.length > 0 ? sql`concat(${join(sql, pieces, sql`, `)})` : sql`''::text`;
    texts.push(text);
    const placeholders = parsed.segments.filter(
      (segment): segment is Extract<Segment, { kind: 'attribute' }> => segment.kind === 'attribute',
    );
    for (const segment of placeholders) {
      if (segment.fallback !== undefined) continue;
      reasons.push(
        sql`case when ${value(segment)} is null then ${missingReason(segment.name)}::text end`,
      );
    }
    // A parameter that renders blank names its first missing placeholder, as render.ts does.
    const firstMissing = placeholders.map(
      (segment) =>
        sql`case when ${value(segment)} is null then ${missingReason(segment.name)}::text end`,
    );
    firstMissing.push(sql`${missingReason('(none)')}::text`);
    reasons.push(
      sql`case when btrim(${text}, ${BLANK_CHARACTERS}::text) = '' then coalesce(${join(sql, firstMissing, sql`, `)}) end`,
    );
  }
  return {
    params: texts.length > 0 ? sql`array[${join(sql, texts, sql`, `)}]::text[]` : sql`'{}'::text[]`,
    reason: reasons.length > 0 ? sql`coalesce(${join(sql, reasons, sql`, `)})` : sql`null::text`,
  };
}
