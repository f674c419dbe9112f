import type { Actor } from '../../access/actor';
import type { ComparedPage, Failures } from '../../stats/period-schemas';
import type { Overview } from '../../stats/schemas';
import { EmptyState, Page } from '../layout';
import { CodesAndPricing } from '../ui/breakdowns';
import { ErrorSummary } from '../ui/form';
import { LoadMore } from '../ui/load-more';
import { CampaignsTable, type Sorting } from './campaigns-table';
import { OverTimeChart } from './chart';
import { ChartTable } from './chart-table';
import { FailuresTable } from './failures-table';
import { Funnel } from './funnel';
import { type ChosenPeriod, type PeriodChoice, periodWords, presets } from './period';
import { PeriodPicker } from './period-picker';

export type AnalyticsData = { overview: Overview; failures: Failures; campaigns: ComparedPage };

/** The query string of this page with `changes` (the period, the sort, a cursor). */
export type Href = (changes: Record<string, string | undefined>) => string;

/**
 * Analytics (docs/console.md), Plausible's manner: the period's figures at the top, one period
 * picker, a chart over time, then the campaigns compared and the reasons of failures.
 */
export function AnalyticsPage(props: {
  actor: Actor;
  zone: string;
  choice: PeriodChoice;
  sorting: Sorting;
  href: Href;
  data?: AnalyticsData;
}) {
  const { choice, zone, sorting } = props;
  const period = choice.ok ? choice.period : undefined;
  const keep = { sort: sorting.sort, order: sorting.order };
  return (
    <Page
      actor={props.actor}
      area="analytics"
      title="Analytics"
      subtitle={
        period
          ? `${period.preset === 'custom' ? 'Custom period' : presets[period.preset]}: ${periodWords(period)}, days in ${zone}`
          : 'Pick a period'
      }
    >
      {choice.ok ? null : (
        <ErrorSummary errors={choice.errors} message="The custom period cannot be shown." />
      )}
      <PeriodPicker
        chosen={period?.preset ?? 'custom'}
        first={period?.first ?? (choice.ok ? '' : choice.first)}
        last={period?.last ?? (choice.ok ? '' : choice.last)}
        errors={choice.ok ? {} : choice.errors}
        keep={keep}
        zone={zone}
      />
      {period && props.data ? <Figures {...props} period={period} data={props.data} /> : null}
    </Page>
  );
}

function Figures(props: {
  zone: string;
  sorting: Sorting;
  href: Href;
  period: ChosenPeriod;
  data: AnalyticsData;
}) {
  const { overview, failures, campaigns } = props.data;
  const { totals } = overview;
  const nothing =
    totals.sent + totals.delivered + totals.read + totals.replied + totals.failed === 0 &&
    campaigns.data.length === 0;
  if (nothing)
    return (
      <EmptyState
        title="Nothing was sent in this period"
        action={
          <a class="button" href="/campaigns">
            Go to campaigns
          </a>
        }
      >
        Pick a longer period above, or start a campaign: its figures appear here as it sends.
      </EmptyState>
    );
  const csv = props.href({ cursor: undefined }).replace('/analytics?', '/analytics/campaigns.csv?');
  return (
    <>
      <Funnel totals={totals} />
      <OverTimeChart
        series={overview.series}
        interval={overview.interval}
        zone={props.zone}
        title={`Sent, delivered and replied by ${overview.interval}`}
      />
      <ChartTable overview={overview} zone={props.zone} />
      <section aria-labelledby="campaigns-title">
        <div class="section-head">
          <h2 id="campaigns-title">Campaigns</h2>
          <a class="button" href={csv} download>
            Download this table as CSV
          </a>
        </div>
        <p class="hint">
          The campaigns that were sending during this period, with each one's figures to date (the
          same as on its page). Sort by a column by choosing its heading.
        </p>
        {campaigns.data.length === 0 ? (
          <p class="muted">No campaign was sending in this period.</p>
        ) : (
          <CampaignsTable
            rows={campaigns.data}
            sorting={props.sorting}
            sortHref={(next) => props.href({ ...next, cursor: undefined })}
          />
        )}
        <LoadMore
          href={campaigns.nextCursor ? props.href({ cursor: campaigns.nextCursor }) : null}
          label="Show the next campaigns"
        />
      </section>
      <FailuresTable failures={failures} />
      <CodesAndPricing
        codes={Object.entries(overview.byErrorCode).map(([code, count]) => ({
          code: Number(code),
          count,
        }))}
        split={overview.byPricingCategory}
        cost={overview.estimatedCost}
        of="sent in this period"
      />
      <ApiLinks {...props} />
    </>
  );
}

/** For analysts: the API's requests that answer this page's figures, for their own tools. */
function ApiLinks(props: { zone: string; sorting: Sorting; period: ChosenPeriod }) {
  const { period, zone, sorting } = props;
  const query = (extra: Record<string, string>) =>
    new URLSearchParams({ from: period.from, to: period.to, timezone: zone, ...extra }).toString();
  return (
    <details class="api-links">
      <summary>The same figures from the API</summary>
      <p class="hint">With an API token, these requests answer this page's figures as JSON.</p>
      <ul>
        <li>
          <code>{`GET /v1/stats/overview?${query({ interval: period.interval })}`}</code>
        </li>
        <li>
          <code>{`GET /v1/stats/campaigns?${query({ sort: sorting.sort, order: sorting.order })}`}</code>
        </li>
        <li>
          <code>{`GET /v1/stats/failures?${query({})}`}</code>
        </li>
        <li>
          <code>{`GET /v1/senders/{senderId}/stats?${query({})}`}</code> (one sender's messages of
          the period, by error code and pricing category, with their cost)
        </li>
      </ul>
    </details>
  );
}
