import type { Actor } from '../../access/actor';
import { PAUSED_BY_REQUEST } from '../../campaigns/pause-campaign';
import type { Config } from '../../config';
import { Page } from '../layout';
import { CodesAndPricing } from '../ui/breakdowns';
import { ErrorSummary } from '../ui/form';
import { StateBadge } from '../ui/state';
import { Time } from '../ui/time';
import { CampaignActions, PrimaryAction } from './campaign-actions';
import { CampaignDetails, RunsTable } from './campaign-details';
import { liveFigures } from './figures';
import { FiguresSection } from './figures-section';
import { HoldoutSection } from './holdout-section';
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
  config: Pick<Config, 'SEND_RATE_PER_SECOND' | 'QUIET_HOURS'>;
  messages: { status?: MessageStatus; continued: boolean };
  done?: string;
  error?: string;
}) {
  const { actor, data, zone } = props;
  const { campaign, stats, progress } = data;
  const figures = liveFigures(stats, progress, data.waiting);
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
      {campaign.status === 'scheduled' && campaign.nextRunAt ? (
        <p class="card next-run">
          <strong>Next run:</strong> <Time at={campaign.nextRunAt} zone={zone} />
        </p>
      ) : null}
      {run ? (
        <>
          <FiguresSection campaignId={campaign.id} live={live} figures={figures} run={run} />
          <CodesAndPricing
            codes={data.errorCodes}
            split={stats.byPricingCategory}
            cost={stats.estimatedCost}
            of="of this campaign"
          />
          <HoldoutSection stats={stats} />
        </>
      ) : (
        <p class="muted">
          {campaign.status === 'draft'
            ? 'Not started yet: its figures appear here once it runs.'
            : 'No run yet: its figures appear here once it runs.'}
        </p>
      )}
      <section aria-labelledby="details-title">
        <h2 id="details-title">What it sends</h2>
        <CampaignDetails
          campaign={campaign}
          template={data.template}
          sender={data.sender}
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
        runs={data.runs}
        run={data.run?.id}
        status={props.messages.status}
        continued={props.messages.continued}
        zone={zone}
      />
    </Page>
  );
}
