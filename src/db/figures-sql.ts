/**
 * The Stats figures (docs/design.md, rule 22) as SQL, written once as (kind, statuses) per figure:
 *
 * - audience: template rows (skipped ones too: they were in the snapshot);
 * - sent: accepted by the provider, i.e. sent, delivered or read (acks only move rows forward);
 * - replied: distinct phones whose template row carries an attributed reply (not a count of
 *   rows, so it has SQL of its own below);
 * - followUpsSent: follow-up rows the provider accepted.
 *
 * `figuresSql` recounts `messages m` (the oracle the counter tests compare with);
 * `countedFiguresSql` sums the counters of `message_counts c` that the triggers keep
 * (the stats endpoint and the run_stats view). Both come from the same list, so they cannot
 * define a figure differently.
 */
const accepted = ['sent', 'delivered', 'read'];
const figures: [name: string, kind: 'template' | 'followup', statuses: string[] | null][] = [
  ['audience', 'template', null],
  ['pending', 'template', ['pending', 'sending']],
  ['sent', 'template', accepted],
  ['delivered', 'template', ['delivered', 'read']],
  ['read', 'template', ['read']],
  ['failed', 'template', ['failed']],
  ['skipped', 'template', ['skipped']],
  ['unknown', 'template', ['unknown']],
  ['follow_ups_sent', 'followup', accepted],
];

const condition = (alias: string, kind: string, statuses: string[] | null) =>
  `${alias}.kind = '${kind}'${
    statuses ? ` and ${alias}.status in (${statuses.map((s) => `'${s}'`).join(', ')})` : ''
  }`;

export const figuresSql = [
  ...figures.map(
    ([name, kind, statuses]) =>
      `count(*) filter (where ${condition('m', kind, statuses)})::int as ${name}`,
  ),
  `count(distinct m.phone) filter (where m.kind = 'template' and m.replied_at is not null)::int as replied`,
].join(',\n  ');

export const countedFiguresSql = figures
  .map(
    ([name, kind, statuses]) =>
      `coalesce(sum(c.n) filter (where ${condition('c', kind, statuses)}), 0)::int as ${name}`,
  )
  .join(',\n  ');

/** Rates over `sent`, 0 when nothing was sent; the view and the endpoint divide alike. */
export const rateSql = (figure: string, sent = 'sent') =>
  `(case when ${sent} = 0 then 0 else ${figure}::float8 / ${sent} end)`;
