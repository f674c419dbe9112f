import type { Actor } from '../../access/actor';
import { can } from '../../access/permissions';
import type { Campaign } from '../../campaigns/schemas';
import type { Progress } from '../../stats/schemas';
import { ActionButton } from '../ui/form';
import { formatNumber } from '../ui/format';

/**
 * The buttons a campaign's state allows (docs/design.md, rule 8; src/campaigns/transition.ts):
 * edit while draft, scheduled or paused; start a draft or a scheduled one (on the launch
 * preview); pause a running or scheduled one; resume a paused one; cancel anything unfinished
 * (asked on a page); retry the latest run's failed or unknown messages unless it or the
 * campaign was cancelled (retry-campaign.ts; asked on a page). None for a role that may not
 * write: the API would refuse them anyway.
 */
export function CampaignActions(props: { actor: Actor; campaign: Campaign; progress: Progress }) {
  const { actor, campaign, progress } = props;
  if (!can(actor, 'write')) return null;
  const { id, status } = campaign;
  const base = `/campaigns/${id}`;
  const run = progress.run;
  const retryable = status !== 'cancelled' && run !== null && run.status !== 'cancelled';
  const retry = (what: 'unknown' | 'failed', n: number) =>
    retryable && n > 0 ? (
      <a class="button" href={`${base}/retry?status=${what}`}>
        {`Send ${formatNumber(n)} ${what} again…`}
      </a>
    ) : null;
  return (
    <div class="actions campaign-actions">
      {status === 'scheduled' ? (
        <a class="button" href={`${base}/launch`}>
          Review and start now
        </a>
      ) : null}
      {status === 'paused' ? (
        <ActionButton actor={actor} action={`${base}/resume`} label="Resume" variant="primary" />
      ) : null}
      {status === 'running' || status === 'scheduled' ? (
        <ActionButton actor={actor} action={`${base}/pause`} label="Pause" />
      ) : null}
      {status === 'draft' || status === 'scheduled' || status === 'paused' ? (
        <a class="button" href={`${base}/edit`}>
          Edit
        </a>
      ) : null}
      {retry('unknown', run?.unknown ?? 0)}
      {retry('failed', run?.failed ?? 0)}
      {status !== 'completed' && status !== 'cancelled' ? (
        <a class="button danger-outline" href={`${base}/cancel`}>
          Cancel campaign…
        </a>
      ) : null}
    </div>
  );
}

/** A draft's one primary action, top right: the launch preview, where it is started. */
export function PrimaryAction(props: { actor: Actor; campaign: Campaign }) {
  if (!can(props.actor, 'write') || props.campaign.status !== 'draft') return null;
  return (
    <a class="button primary" href={`/campaigns/${props.campaign.id}/launch`}>
      Review and start
    </a>
  );
}
