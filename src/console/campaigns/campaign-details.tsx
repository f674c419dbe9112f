import type { Campaign, Run } from '../../campaigns/schemas';
import type { Config } from '../../config';
import type { Sender } from '../../senders/schemas';
import type { Template } from '../../templates/schemas';
import { formatDateTime, formatNumber } from '../ui/format';
import { StateBadge } from '../ui/state';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { describeSchedule } from './schedule-words';
import { campaignWindowWords } from './send-window-words';

/** Runs shown on the page: the latest ones (a recurring campaign gathers one a slot). */
export const RUNS_SHOWN = 20;

/** The sender a campaign names: a link to its page, or said deleted (rule 31: it keeps the name). */
export function SenderName(props: { sender: (Sender & { deleted: boolean }) | undefined }) {
  const { sender } = props;
  if (!sender) return <>A sender that is gone</>;
  const number = sender.displayPhoneNumber ?? sender.phoneNumberId;
  if (sender.deleted)
    return (
      <>
        {sender.name}
        <span class="muted"> · deleted since</span>
      </>
    );
  return (
    <>
      <a href={`/settings/senders/${sender.id}`}>{sender.name}</a>
      {number ? <span class="muted">{` · ${number}`}</span> : null}
    </>
  );
}

/**
 * What the campaign sends, to whom, when and how fast: its template, lists, schedule, pace, send
 * window, follow-up.
 */
export function CampaignDetails(props: {
  campaign: Campaign;
  template: (Template & { deleted: boolean }) | undefined;
  sender: (Sender & { deleted: boolean }) | undefined;
  lists: Map<string, string>;
  zone: string;
  config: Pick<Config, 'SEND_RATE_PER_SECOND' | 'QUIET_HOURS'>;
}) {
  const { campaign, template, zone } = props;
  const schedule = describeSchedule(campaign);
  const missing = campaign.listIds.filter((id) => !props.lists.has(id)).length;
  return (
    <dl class="details">
      <dt>Template</dt>
      <dd>
        {template ? `${template.name} (${template.language.code})` : 'A template that is gone'}
        {template?.deleted ? <span class="muted"> · deleted since</span> : null}
      </dd>
      <dt>Sender</dt>
      <dd>
        <SenderName sender={props.sender} />
      </dd>
      <dt>Lists</dt>
      <dd>
        {[...props.lists.values()].join(', ') || '–'}
        {missing > 0 ? <span class="muted">{` · ${missing} deleted since`}</span> : null}
      </dd>
      <dt>Schedule</dt>
      <dd>
        {schedule.summary}
        {schedule.zone ? <span class="muted">{` (${schedule.zone} time)`}</span> : null}
        {schedule.rolling ? (
          <span class="muted">{` Recipients of unknown zone get it at that time in ${schedule.rolling.unknownZone}.`}</span>
        ) : null}
        {schedule.next.length > 0 ? (
          <span class="schedule-next">
            {schedule.rolling
              ? ' Starts where the day begins (UTC+14): '
              : schedule.next.length === 1
                ? ' Next: '
                : ' Next runs: '}
            {schedule.next.map((at) => formatDateTime(at, zone)).join('; ')}{' '}
            <span class="zone">{zone}</span>
          </span>
        ) : null}
        {schedule.pattern ? (
          <span class="muted">
            {' · pattern '}
            <code>{schedule.pattern}</code>
          </span>
        ) : null}
      </dd>
      <dt>Pace</dt>
      <dd>
        {campaign.ratePerSecond === null
          ? `As fast as the account allows (${formatNumber(props.config.SEND_RATE_PER_SECOND)} a second)`
          : `At most ${formatNumber(Math.min(campaign.ratePerSecond, props.config.SEND_RATE_PER_SECOND))} a second`}
      </dd>
      <dt>Send window</dt>
      <dd class="send-window-words">
        {campaignWindowWords(
          campaign.sendWindow,
          props.config.QUIET_HOURS,
          props.template?.category,
        )}
      </dd>
      <dt>Follow-up</dt>
      <dd>
        {campaign.followUp ? (
          <span class="follow-up">{campaign.followUp.body}</span>
        ) : (
          'None: replies get no automatic answer.'
        )}
      </dd>
      <dt>Created</dt>
      <dd>
        <Time at={campaign.createdAt} zone={zone} />
      </dd>
    </dl>
  );
}

/** The campaign's runs, newest first: when each started, how it ended, how many it was for. */
export function RunsTable(props: { runs: Run[]; zone: string }) {
  if (props.runs.length === 0)
    return (
      <p class="muted">No runs yet: a run starts when the campaign is started or its time comes.</p>
    );
  const shown = props.runs.slice(0, RUNS_SHOWN);
  return (
    <>
      <DataTable
        caption="Runs, newest first"
        columns={['Due', 'State', { heading: 'Recipients', numeric: true }, 'Finished']}
      >
        {shown.map((run) => (
          <tr>
            <td>
              <Time at={run.scheduledFor} zone={props.zone} />
            </td>
            <td>
              <StateBadge state={run.status} />
            </td>
            <td class="num">{formatNumber(run.audience)}</td>
            <td>
              <Time at={run.finishedAt} zone={props.zone} relative={false} />
            </td>
          </tr>
        ))}
      </DataTable>
      {props.runs.length > shown.length ? (
        <p class="muted">{`The latest ${RUNS_SHOWN} of ${formatNumber(props.runs.length)} runs.`}</p>
      ) : null}
    </>
  );
}
