import type { Actor } from '../../access/actor';
import { PAUSED_BY_REQUEST } from '../../campaigns/pause-campaign';
import type { Config } from '../../config';
import { Page } from '../layout';
import { ErrorSummary } from '../ui/form';
import { StateBadge } from '../ui/state';
import { CampaignActions, PrimaryAction } from './campaign-actions';
import { CampaignDetails, RunsTable } from './campaign-details';
import { counters, liveFigures } from './figures';
import type { CampaignPageData, MessageStatus } from './load-campaign';
import { MessagesSection } from './messages-table';

/** The notices of a write that succeeded (`?done=`), said once after the redirect. */
const notices: Record<string, string> = {
  paused: 'Paused: nothing more is sent until you resume it.',
  resumed: 'Resumed.',
  cancelled: 'Cancelled: its pending messages will not be sent.',
  retried: 'Those messages are pending again and go out at the campaign’s pace.',
};

/**
 * A campaign's page (docs/console.md: detail pages): its state and figures first, live while it
 * runs; the actions its state allows beside them; what it sends, its runs and its messages below.
 */
export function CampaignPage(props: {
  actor: Actor;
  data: CampaignPageData;
  zone: string;
  config: Pick<Config, 'SEND_RATE_PER_SECOND'>;
  messages: { status?: MessageStatus; continued: boolean };
  done?: string;
  error?: string;
}) {
  const { actor, data, zone } = props;
  const { campaign, stats, progress } = data;
  const figures = liveFigures(stats, progress);
  const live = campaign.status === 'running' || campaign.status === 'paused';
  const run = progress.run;
  return (
    <Page
      actor={actor}
      area="campaigns"
      title={campaign.name}
      scripts={['campaigns.js']}
      subtitle={
        <span class="campaign-subtitle">
          <a href="/campaigns">Campaigns</a> · <StateBadge state={campaign.status} />
        </span>
      }
      primary={<PrimaryAction actor={actor} campaign={campaign} />}
    >
      <ErrorSummary errors={{}} message={props.error} />
      {props.done && notices[props.done] ? (
        <p class="notice ok" role="status">
          {notices[props.done]}
        </p>
      ) : null}
      {campaign.status === 'paused' &&
      campaign.pausedReason &&
      campaign.pausedReason !== PAUSED_BY_REQUEST ? (
        <p class="notice warn">{`The service paused it: ${campaign.pausedReason}. Resume it once that is put right.`}</p>
      ) : null}
      <CampaignActions actor={actor} campaign={campaign} progress={progress} />
      <section
        aria-labelledby="figures-title"
        class="campaign-figures"
        data-live-src={live ? `/campaigns/${campaign.id}/live` : undefined}
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
        {run && campaign.status !== 'draft' ? (
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
          </div>
        ) : null}
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
      <section aria-labelledby="details-title">
        <h2 id="details-title">What it sends</h2>
        <CampaignDetails
          campaign={campaign}
          template={data.template}
          lists={data.lists}
          zone={zone}
          config={props.config}
        />
      </section>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <RunsTable runs={data.runs} zone={zone} />
      </section>
      <MessagesSection
        campaignId={campaign.id}
        page={data.messages}
        status={props.messages.status}
        continued={props.messages.continued}
        zone={zone}
      />
    </Page>
  );
}
