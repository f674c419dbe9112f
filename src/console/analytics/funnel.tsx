import { rate } from '../../stats/get-stats';
import type { Overview } from '../../stats/schemas';
import { formatNumber, formatPercent } from '../ui/format';

const steps = [
  { key: 'sent', label: 'Sent', state: 'sent', hint: 'accepted by WhatsApp' },
  { key: 'delivered', label: 'Delivered', state: 'delivered', hint: 'of sent' },
  { key: 'read', label: 'Read', state: 'read', hint: 'of sent' },
  { key: 'replied', label: 'Replied', state: 'replied', hint: 'of sent' },
] as const;

/**
 * The period's figures at the top (GET /v1/stats/overview's totals): the funnel from sent to
 * replied, each step with its share of sent (the Stats' rates: docs/design.md, rule 22), and
 * the failures beside it. Each event counts in the period it happened in, so a message sent
 * before the period and read in it counts as read, not as sent.
 */
export function Funnel(props: { totals: Overview['totals'] }) {
  const { totals } = props;
  return (
    <section aria-labelledby="funnel-title" class="card">
      <h2 id="funnel-title" class="card-title">
        Campaign messages in this period
      </h2>
      <ol class="funnel">
        {steps.map((step) => {
          const value = totals[step.key];
          const share = step.key === 'sent' ? 1 : rate(value, totals.sent);
          return (
            <li class={`state-${step.state}`}>
              <span class="funnel-label">
                <span class="dot" aria-hidden="true" />
                {step.label}
              </span>
              <span class="funnel-value" title={String(value)}>
                {formatNumber(value)}
              </span>
              <span class="funnel-share muted">
                {step.key === 'sent' ? step.hint : `${formatPercent(share)} ${step.hint}`}
              </span>
              <span class="funnel-track" aria-hidden="true">
                <span
                  class="funnel-bar"
                  style={`width:${Math.min(100, share * 100).toFixed(1)}%`}
                />
              </span>
            </li>
          );
        })}
      </ol>
      <p class="funnel-failed state-failed">
        <span class="dot" aria-hidden="true" />
        <span>
          <strong>{formatNumber(totals.failed)}</strong> failed (refused by WhatsApp: the reasons
          are below)
        </span>
      </p>
    </section>
  );
}
