import type { Child } from 'hono/jsx';
import type { Actor } from '../../access/actor';
import type { Campaign } from '../../campaigns/schemas';
import type { Progress, Stats } from '../../stats/schemas';
import { Page } from '../layout';
import { CsrfField, ErrorSummary } from '../ui/form';
import { formatNumber } from '../ui/format';
import { Time } from '../ui/time';

/** `1 message`, `1,204 messages`. */
export const messages = (n: number, what = 'messages') =>
  `${formatNumber(n)} ${n === 1 ? what.replace(/messages$/, 'message') : what}`;

/** A dangerous action asked on a page of its own, in numbers (docs/console.md: patterns). */
function Confirmation(props: {
  actor: Actor;
  campaign: Campaign;
  title: string;
  action: string;
  button: string;
  error?: string;
  hidden?: Record<string, string>;
  children: Child;
}) {
  const back = `/campaigns/${props.campaign.id}`;
  return (
    <Page
      actor={props.actor}
      area="campaigns"
      title={props.title}
      subtitle={<a href={back}>{props.campaign.name}</a>}
    >
      <ErrorSummary errors={{}} message={props.error} />
      <div class="confirm">
        {props.children}
        <form method="post" action={props.action} class="actions">
          <CsrfField actor={props.actor} />
          {Object.entries(props.hidden ?? {}).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class="button danger">
            {props.button}
          </button>
          <a href={back}>No, go back</a>
        </form>
      </div>
    </Page>
  );
}

/** Cancel: what will not be sent, in numbers; nothing can start it again. */
export function CancelPage(props: {
  actor: Actor;
  campaign: Campaign;
  stats: Stats;
  zone: string;
  error?: string;
}) {
  const { campaign, stats } = props;
  const inRun = campaign.status === 'running' || campaign.status === 'paused';
  return (
    <Confirmation
      actor={props.actor}
      campaign={campaign}
      title={`Cancel ${campaign.name}?`}
      action={`/campaigns/${campaign.id}/cancel`}
      button="Cancel campaign"
      error={props.error}
    >
      <p class="notice danger confirm-what">
        {inRun
          ? `${messages(stats.pending, 'pending messages')} will not be sent.`
          : campaign.status === 'scheduled'
            ? 'It will not run: its next run and every later one are dropped.'
            : 'This draft will never be sent.'}
      </p>
      {campaign.status === 'scheduled' && campaign.nextRunAt ? (
        <p>
          {'Its next run was due '}
          <Time at={campaign.nextRunAt} zone={props.zone} />.
        </p>
      ) : null}
      {inRun ? (
        <p>
          {`${messages(stats.sent)} already sent stay sent, and their replies are still counted. No follow-up is sent after this.`}
        </p>
      ) : null}
      <p>A cancelled campaign cannot be started again.</p>
    </Confirmation>
  );
}

/** Retry the latest run's unknown or failed messages: how many, and what may happen. */
export function RetryPage(props: {
  actor: Actor;
  campaign: Campaign;
  progress: Progress;
  status: 'unknown' | 'failed';
  error?: string;
}) {
  const { campaign, progress, status } = props;
  const run = progress.run;
  const n = run ? run[status] : 0;
  const back = `/campaigns/${campaign.id}`;
  const title =
    status === 'unknown' ? 'Send unknown messages again?' : 'Send failed messages again?';
  if (n === 0 || !run || run.status === 'cancelled' || campaign.status === 'cancelled') {
    return (
      <Page
        actor={props.actor}
        area="campaigns"
        title={title}
        subtitle={<a href={back}>{campaign.name}</a>}
      >
        <p>{`The latest run has no ${status} messages to send again.`}</p>
        <p>
          <a href={back}>Back to the campaign</a>
        </p>
      </Page>
    );
  }
  return (
    <Confirmation
      actor={props.actor}
      campaign={campaign}
      title={title}
      action={`/campaigns/${campaign.id}/retry`}
      button={`Send ${messages(n)} again`}
      hidden={{ status }}
      error={props.error}
    >
      <p class="notice danger confirm-what">
        {status === 'unknown'
          ? `${messages(n, 'messages whose outcome is unknown')} will be sent again; some of these people may get the message twice.`
          : `${messages(n, 'messages that failed')} will be sent again.`}
      </p>
      <p>
        {status === 'unknown'
          ? 'The provider gave no answer for these sends (it timed out, or the connection was lost after the message left), so it may have taken and delivered them.'
          : 'The provider refused them. Unless what made them fail has changed (a wrong number stays wrong), they will fail again.'}
      </p>
      {campaign.status === 'paused' ? (
        <p>The campaign is paused: they go out when you resume it.</p>
      ) : (
        <p>They go out at the campaign’s pace, from its latest run.</p>
      )}
    </Confirmation>
  );
}
