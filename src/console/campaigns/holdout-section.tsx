import type { CampaignStats } from '../../stats/schemas';
import { formatNumber, formatPercent } from '../ui/format';

/** `+4.2 points`, `−1.0 point`: a difference of two shares, in percentage points. */
const points = (difference: number) => {
  const value = Math.abs(difference * 100).toFixed(1);
  const sign = difference > 0 ? '+' : difference < 0 ? '−' : '';
  return `${sign}${value} point${value === '1.0' ? '' : 's'}`;
};

/**
 * The holdout group beside those sent (docs/design.md, rule 36), in a marketer's words: how many
 * were kept out, the share of each group that wrote to us, the difference and whether it is
 * clear of chance (its 95% interval excludes 0). Nothing without a holdout.
 */
export function HoldoutSection(props: { stats: CampaignStats }) {
  const { heldOut, holdoutReplied, uplift } = props.stats;
  if (heldOut === null) return null;
  const verdict = !uplift
    ? 'Nothing can be compared yet: no one of each group has been reached.'
    : uplift.ci95[0] > 0
      ? 'More of those sent wrote to you than of those kept out: the campaign made a difference.'
      : uplift.ci95[1] < 0
        ? 'Fewer of those sent wrote to you than of those kept out.'
        : 'The difference is within what chance gives: not yet a measured effect.';
  return (
    <section aria-labelledby="holdout-title" class="card">
      <h2 id="holdout-title">Against the holdout group</h2>
      <dl class="details">
        <dt>Kept out</dt>
        <dd>{formatNumber(heldOut)}</dd>
        <dt>Of them, wrote to you</dt>
        <dd>{`${formatNumber(holdoutReplied ?? 0)} (${formatPercent(uplift?.holdoutRate ?? 0)})`}</dd>
        <dt>Of those sent, wrote to you</dt>
        <dd>{formatPercent(uplift?.treatedRate ?? 0)}</dd>
        {uplift ? <dt>Uplift</dt> : null}
        {uplift ? (
          <dd>{`${points(uplift.difference)} (95% interval: ${points(uplift.ci95[0])} to ${points(uplift.ci95[1])})`}</dd>
        ) : null}
      </dl>
      <p class="muted">{verdict}</p>
    </section>
  );
}
