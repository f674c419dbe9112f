import type { Campaign } from '../../campaigns/schemas';
import type { Progress } from '../../stats/schemas';
import { formatNumber, formatPercent } from '../ui/format';
import { StateBadge } from '../ui/state';
import { Time } from '../ui/time';
import { paceWords } from './figures';

/** One campaign of the list, its key figure readable without opening it (docs/console.md). */
export function CampaignRow(props: {
  campaign: Campaign;
  progress: Progress | undefined;
  zone: string;
}) {
  const { campaign, progress, zone } = props;
  return (
    <tr>
      <td>
        <a class="row-link" href={`/campaigns/${campaign.id}`}>
          {campaign.name}
        </a>
      </td>
      <td>
        <StateBadge state={campaign.status} />
      </td>
      <td class="key-figure">
        <KeyFigure campaign={campaign} progress={progress} zone={zone} />
      </td>
      <td class="last-run">
        {campaign.lastRunAt ? <Time at={campaign.lastRunAt} zone={zone} /> : null}
      </td>
    </tr>
  );
}

function KeyFigure(props: { campaign: Campaign; progress: Progress | undefined; zone: string }) {
  const { campaign, progress, zone } = props;
  const run = progress?.run;
  switch (campaign.status) {
    case 'running':
    case 'paused':
      return run && progress ? (
        <div>
          <div class="progress-line">
            <progress
              value={run.sent}
              max={run.audience || 1}
              aria-label={`${campaign.name}: sent in the latest run`}
            />
            <span class="num">{`${formatNumber(run.sent)} / ${formatNumber(run.audience)}`}</span>
          </div>
          <span class="muted">{paceWords(progress)}</span>
        </div>
      ) : (
        <span class="muted">Preparing the run…</span>
      );
    case 'scheduled':
      return (
        <span>
          {'next: '}
          <Time at={campaign.nextRunAt} zone={zone} />
        </span>
      );
    case 'draft':
      return <span class="muted">Not scheduled yet</span>;
    default:
      return progress && progress.sent > 0 ? (
        <span>
          <strong>{`${formatPercent(progress.replyRate)} replied`}</strong>
          <span class="muted">{` · ${formatNumber(progress.replied)} of ${formatNumber(progress.sent)} sent`}</span>
        </span>
      ) : (
        <span class="muted">Nothing was sent</span>
      );
  }
}
