import type { Actor } from '../../access/actor';
import { can } from '../../access/permissions';
import type { Preview } from '../../campaigns/preview-schemas';
import type { Campaign } from '../../campaigns/schemas';
import type { Template } from '../../templates/schemas';
import { CsrfField } from '../ui/form';
import { formatNumber } from '../ui/format';
import { Time } from '../ui/time';
import { AudienceFigures, LeftOut, Sample, Timing } from './launch-figures';

export type LaunchData = {
  campaign: Campaign;
  preview: Preview;
  template?: Template;
  /** The campaign's lists by name; null for one that no longer exists. */
  listNames: (string | null)[];
  scheduleWords?: string;
};

/** The preview's surprises in words, from its figures (never its API wording: ids, JSON). */
function warningsOf({ campaign, preview, listNames }: LaunchData): string[] {
  const { limit, usedLast24h, needed } = preview.messagingLimit;
  const room = limit === null ? needed : Math.max(0, limit - usedLast24h);
  return [
    ...(listNames.includes(null)
      ? ['A list of this campaign no longer exists: change its lists, or starting is refused.']
      : []),
    ...(preview.eligible === 0
      ? ['Nobody would be sent the template: no contact of the lists can get it.']
      : []),
    ...(campaign.ratePerSecond !== null && campaign.ratePerSecond > preview.pacePerSecond
      ? [
          `This campaign's pace, ${formatNumber(campaign.ratePerSecond)} a second, is above the account's limit: it goes at ${formatNumber(preview.pacePerSecond)} a second.`,
        ]
      : []),
    ...(needed > room
      ? [
          `The account may reach ${formatNumber(room)} more people in the next 24 hours and this run needs ${formatNumber(needed)}: the rest wait for the daily limit, so it ends later.`,
        ]
      : []),
  ];
}

function StartForm(props: {
  actor: Actor;
  data: LaunchData;
  label: string;
  variant: string;
  hint: string;
}) {
  const { preview, campaign } = props.data;
  return (
    <form method="post" action={`/campaigns/${campaign.id}/launch`} class="launch-form">
      <CsrfField actor={props.actor} />
      {preview.acceptSkipsRequired ? (
        <p>
          {formatNumber(preview.skipped)} of {formatNumber(preview.audience)} recipients would be
          skipped, more than this account allows without asking (see why above).
        </p>
      ) : null}
      {preview.acceptSkipsRequired ? (
        <label class="checkbox">
          <input type="checkbox" name="acceptSkips" value="yes" />
          Start anyway, skipping {formatNumber(preview.skipped)}{' '}
          {preview.skipped === 1 ? 'recipient' : 'recipients'}
        </label>
      ) : null}
      <button type="submit" class={`button ${props.variant}`}>
        {props.label}
      </button>
      <p class="hint">{props.hint}</p>
    </form>
  );
}

/** What starting does here: a draft starts; a scheduled campaign may be sent now (start-campaign.ts). */
function LaunchAction(props: { actor: Actor; data: LaunchData; zone: string }) {
  const { campaign } = props.data;
  if (!can(props.actor, 'write')) return null;
  if (campaign.status === 'paused') {
    return (
      <p class="notice">
        This campaign is paused: <a href={`/campaigns/${campaign.id}`}>resume it from its page</a>.
      </p>
    );
  }
  if (campaign.status === 'draft') {
    return (
      <section class="card launch-action" aria-labelledby="launch-heading">
        <h2 id="launch-heading">Start</h2>
        <StartForm
          actor={props.actor}
          data={props.data}
          label="Start campaign"
          variant="primary"
          hint="It starts sending at once, at the pace above."
        />
      </section>
    );
  }
  const recurring = campaign.schedule !== null && 'cron' in campaign.schedule;
  return (
    <section class="card launch-action" aria-labelledby="launch-heading">
      <h2 id="launch-heading">Scheduled</h2>
      <p>
        It sends by itself on <Time at={campaign.nextRunAt} zone={props.zone} />: there is nothing
        more to do.
      </p>
      <a class="button primary" href={`/campaigns/${campaign.id}`}>
        Done: open the campaign
      </a>
      <StartForm
        actor={props.actor}
        data={props.data}
        label={recurring ? 'Run it once now as well' : 'Send now instead'}
        variant="secondary"
        hint={
          recurring
            ? 'A run starts now; the schedule stays, and its next time still fires.'
            : 'It sends now, and the scheduled time is dropped.'
        }
      />
    </section>
  );
}

/** The launch preview's content: what the next run would do, then the way to launch it. */
export function LaunchView(props: {
  actor: Actor;
  data: LaunchData;
  zone: string;
  error?: string;
}) {
  const { data } = props;
  const { campaign, template, listNames } = data;
  const warnings = warningsOf(data);
  const lists = listNames.map((name) => name ?? 'a list that no longer exists').join(', ');
  return (
    <div class="launch">
      {props.error ? (
        <div class="error-summary" role="alert" tabindex={-1} data-autofocus>
          <h2>The campaign was not started</h2>
          <p>{props.error}</p>
        </div>
      ) : null}
      <p class="launch-summary">
        Sends <strong>{template?.name ?? 'its template'}</strong> to <strong>{lists}</strong>
        {campaign.followUp ? ', with a follow-up to those who reply' : ''}.{' '}
        {data.scheduleWords ? `${data.scheduleWords}.` : 'Starts when you start it.'}{' '}
        {can(props.actor, 'write') ? (
          <a href={`/campaigns/${campaign.id}/edit`}>Change the campaign</a>
        ) : null}
      </p>
      <AudienceFigures preview={data.preview} />
      {warnings.length > 0 ? (
        <div class="notice warn" role="note">
          <ul>
            {warnings.map((warning) => (
              <li>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <LeftOut preview={data.preview} />
      <Sample preview={data.preview} />
      <Timing preview={data.preview} zone={props.zone} ratePerSecond={campaign.ratePerSecond} />
      <LaunchAction actor={props.actor} data={data} zone={props.zone} />
    </div>
  );
}
