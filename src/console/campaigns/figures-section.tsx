import type { Progress } from '../../stats/schemas';
import type { LiveFigures } from '../live';
import { counters } from './figures';

/**
 * The campaign's figures once it has run: the latest run's progress (with what its send window
 * holds back), the counters of
 * GET .../stats with their rates, live (console.js, `data-live-src`) while it runs or is paused.
 */
export function FiguresSection(props: {
  campaignId: string;
  live: boolean;
  figures: LiveFigures;
  run: NonNullable<Progress['run']>;
}) {
  const { live, figures, run } = props;
  return (
    <section
      aria-labelledby="figures-title"
      class="campaign-figures"
      data-live-src={live ? `/campaigns/${props.campaignId}/live` : undefined}
      data-live-reload={live ? 'true' : undefined}
    >
      <h2 id="figures-title" class="visually-hidden">
        Figures
      </h2>
      {live ? (
        <p class="live-status" data-live-status role="status">
          Figures as of loading the page.
        </p>
      ) : null}
      <div class="card run-progress">
        <p class="run-progress-line">
          <strong data-live="runSent">{figures.runSent}</strong>
          {' of '}
          <span data-live="runAudience">{figures.runAudience}</span>
          {' sent in the latest run'}
        </p>
        <progress
          aria-label="Sent in the latest run"
          value={run.sent}
          max={run.audience || 1}
          data-live-value="runSentValue"
          data-live-max="runAudienceValue"
        />
        {live ? (
          <p class="pace" data-live="pace">
            {String(figures.pace)}
          </p>
        ) : null}
        {/* empty (and hidden by the stylesheet) while nothing waits or expired */}
        <p class="run-waiting" data-live="waiting">
          {String(figures.waiting)}
        </p>
        <p class="run-waiting" data-live="expired">
          {String(figures.expired)}
        </p>
      </div>
      <ul class="figures">
        {counters.map(({ key, label, state }) => (
          <li class={`figure state-${state}`}>
            <span class="value" data-live={key}>
              {String(figures[key])}
            </span>
            <span class="label">
              <span class="dot" aria-hidden="true" />
              {label}
            </span>
            {figures[`${key}Rate`] !== undefined ? (
              <span class="rate" data-live={`${key}Rate`}>
                {String(figures[`${key}Rate`])}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
