import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
import { BLANK_CHARACTERS, parsePlaceholders, type Segment } from './placeholders';
import { parameterProblemSql } from './provider-rules';
import { missingReason } from './render';

type Fragment = PendingQuery<Row[]>;
type Placeholder = Extract<Segment, { kind: 'attribute' }>;

function join(sql: Sql | TransactionSql, parts: Fragment[], separator: Fragment): Fragment {
  const [first, ...rest] = parts;
  if (!first) return sql``;
  return rest.reduce((acc, part) => sql`${acc}${separator}${part}`, first);
}

/** `, a as n, b as m`: extra select-list columns, or nothing. */
const columns = (sql: Sql | TransactionSql, named: Fragment[]) =>
  named.length > 0 ? sql`, ${join(sql, named, sql`, `)}` : sql``;

/**
 * The SQL twin of `renderParameters` (render.ts), so that an audience snapshot renders a million
 * contacts inside PostgreSQL instead of loading them. It renders in three select levels, each
 * value computed once: `values` (extra columns over the contact's `attributes`: each attribute
 * placeholder's trimmed value, `a0`, `a1`…), `texts` (over those: each parameter's text, `t0`,
 * `t1`…), and `params` (text[]) with `reason` (the skip reason, null when the contact can be
 * sent: a missing attribute, or a parameter WhatsApp would refuse) over both. Attributes are
 * read with `->>`, which sees the contact's own keys only, as render.ts does. Written inline instead, every parameter re-extracted and re-trimmed its
 * attributes three times. The integration tests hold this and render.ts equal.
 */
export function renderSql(
  sql: Sql | TransactionSql,
  parameters: string[],
  attributes: Fragment,
  maxParameterChars: number,
): { values: Fragment; texts: Fragment; params: Fragment; reason: Fragment } {
  const names: string[] = [];
  const column = (segment: Placeholder) => {
    if (!names.includes(segment.name)) names.push(segment.name);
    return sql.unsafe(`a${names.indexOf(segment.name)}`);
  };
  const texts: Fragment[] = [];
  const reasons: Fragment[] = [];
  parameters.forEach((parameter, index) => {
    const parsed = parsePlaceholders(parameter);
    if (!parsed.ok) throw new Error(`template parameter does not parse: ${parsed.message}`);
    const pieces = parsed.segments.map((segment) =>
      segment.kind === 'text'
        ? sql`${segment.text}::text`
        : sql`coalesce(${column(segment)}, ${segment.fallback ?? ''}::text)`,
    );
    texts.push(pieces.length > 0 ? sql`concat(${join(sql, pieces, sql`, `)})` : sql`''::text`);
    const text = sql.unsafe(`t${index}`);
    const placeholders = parsed.segments.filter(
      (segment): segment is Placeholder => segment.kind === 'attribute',
    );
    for (const segment of placeholders) {
      if (segment.fallback !== undefined) continue;
      reasons.push(
        sql`case when ${column(segment)} is null then ${missingReason(segment.name)}::text end`,
      );
    }
    // A parameter that renders blank names its first missing placeholder, as render.ts does.
    const firstMissing = placeholders.map(
      (segment) =>
        sql`case when ${column(segment)} is null then ${missingReason(segment.name)}::text end`,
    );
    firstMissing.push(sql`${missingReason('(none)')}::text`);
    reasons.push(
      sql`case when btrim(${text}, ${BLANK_CHARACTERS}::text) = '' then coalesce(${join(sql, firstMissing, sql`, `)}) end`,
    );
    reasons.push(parameterProblemSql(sql, `t${index}`, index, maxParameterChars));
  });
  const values = names.map(
    (name, i) =>
      sql`nullif(btrim(${attributes} ->> ${name}::text, ${BLANK_CHARACTERS}::text), '') as ${sql.unsafe(`a${i}`)}`,
  );
  return {
    values: columns(sql, values),
    texts: columns(
      sql,
      texts.map((text, i) => sql`${text} as ${sql.unsafe(`t${i}`)}`),
    ),
    params:
      texts.length > 0
        ? sql`array[${join(
            sql,
            texts.map((_, i) => sql.unsafe(`t${i}`)),
            sql`, `,
          )}]::text[]`
        : sql`'{}'::text[]`,
    reason: reasons.length > 0 ? sql`coalesce(${join(sql, reasons, sql`, `)})` : sql`null::text`,
  };
}
