import type { Actor } from '../../access/actor';
import { can } from '../../access/permissions';
import type { Preview } from '../../campaigns/preview-schemas';
import type { Campaign } from '../../campaigns/schemas';
import type { Template } from '../../templates/schemas';
import { CsrfField } from '../ui/form';
import { formatDateTime, formatNumber } from '../ui/format';
import { Time } from '../ui/time';
import { AudienceFigures, LeftOut, Sample, Timing } from './launch-figures';
import { SendHours } from './send-hours';

/** What the launch page shows at once: the campaign and the names of what it sends. */
export type LaunchData = {
  campaign: Campaign;
  template?: Template;
  /** The campaign's lists by name; null for one that no longer exists. */
  listNames: (string | null)[];
  scheduleWords?: string;
};

/** The preview's surprises in words, from its figures (never its API wording: ids, JSON). */
function warningsOf({ campaign, listNames }: LaunchData, preview: Preview, zone: string): string[] {
  const { limit, usedLast24h, needed } = preview.messagingLimit;
  const room = limit === null ? needed : Math.max(0, limit - usedLast24h);
  const people = (n: number) => `${formatNumber(n)} ${n === 1 ? 'recipient' : 'recipients'}`;
  const localTime =
    campaign.schedule !== null &&
    'localTime' in campaign.schedule &&
    campaign.schedule.localTime === true;
  const share = (n: number) =>
    `${Math.max(1, Math.round((n / Math.max(1, preview.eligible)) * 100))}%`;
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
    ...(preview.outsideWindowNow > 0
      ? [
          `${people(preview.outsideWindowNow)} (${share(preview.outsideWindowNow)}) ${localTime ? "are outside their send window at the start, or the schedule's local time has not come where they are" : 'are outside their send window at the start'}: they wait for it, and the last message goes ${formatDateTime(preview.estimatedFinish, zone)} (${zone}).`,
        ]
      : []),
    ...(preview.capped
      ? [
          `${people(preview.capped)} already got as many templates as the frequency cap allows: if sent now, they would be skipped.`,
        ]
      : []),
    ...(preview.expiring > 0
      ? [
          `${people(preview.expiring)} would not be sent before the send window's deadline: they would end expired.`,
        ]
      : []),
    ...(needed > room
      ? [
          `The account may reach ${formatNumber(room)} more people in the next 24 hours and this run needs ${formatNumber(needed)}: the rest wait for the daily limit, so it ends later.`,
        ]
      : []),
  ];
}

/** The start form's id: the skips' question, which comes with the figures, is one of its fields. */
const START_FORM = 'start-form';

function StartForm(props: {
  actor: Actor;
  campaign: Campaign;
  label: string;
  variant: string;
  hint: string;
}) {
  return (
    <form
      method="post"
      action={`/campaigns/${props.campaign.id}/launch`}
      class="launch-form"
      id={START_FORM}
    >
      <CsrfField actor={props.actor} />
      <button type="submit" class={`button ${props.variant}`}>
        {props.label}
      </button>
      <p class="hint">{props.hint}</p>
    </form>
  );
}

/**
 * Too many skips for a start without asking: the box to start anyway, a field of the start form
 * wherever the figures are (`form`), since only the figures know. The API checks the skips
 * itself, so a start without the figures on the page is asked again with them.
 */
function SkipsQuestion(props: { preview: Preview }) {
  const { preview } = props;
  return (
    <div class="notice warn">
      <p>
        {formatNumber(preview.skipped)} of {formatNumber(preview.audience)} recipients would be
        skipped, more than this account allows without asking (see why above).
      </p>
      <label class="checkbox">
        <input type="checkbox" name="acceptSkips" value="yes" form={START_FORM} />
        Start anyway, skipping {formatNumber(preview.skipped)}{' '}
        {preview.skipped === 1 ? 'recipient' : 'recipients'}
      </label>
    </div>
  );
}

/** Whether the page has a start form: a writer's, on a draft or scheduled campaign. */
const startable = (actor: Actor, campaign: Campaign) =>
  can(actor, 'write') && (campaign.status === 'draft' || campaign.status === 'scheduled');

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
          campaign={campaign}
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
        campaign={campaign}
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

/**
 * What the next run would do, by the preview's figures (preview-campaign.ts, what GET
 * /v1/campaigns/{id}/preview answers): who gets it, the surprises, who is left out and why, a
 * sample, when it ends, and the skips' question for the start form. The page renders it inline
 * (`?count=1`, or after a refused start) or loads it as a fragment after the page.
 */
export function LaunchFigures(props: {
  actor: Actor;
  data: LaunchData;
  preview: Preview;
  zone: string;
}) {
  const { data, preview } = props;
  const warnings = warningsOf(data, preview, props.zone);
  return (
    <>
      <AudienceFigures preview={preview} />
      {warnings.length > 0 ? (
        <div class="notice warn" role="note">
          <ul>
            {warnings.map((warning) => (
              <li>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <LeftOut preview={preview} />
      <Sample preview={preview} template={data.template} />
      <Timing preview={preview} zone={props.zone} ratePerSecond={data.campaign.ratePerSecond} />
      <SendHours preview={preview} zone={props.zone} />
      {preview.acceptSkipsRequired && startable(props.actor, data.campaign) ? (
        <SkipsQuestion preview={preview} />
      ) : null}
    </>
  );
}

/**
 * Where the figures come after the page (docs/decisions.md, "the launch preview's figures after
 * the page"): console.js loads them from `launch/figures` and says it is counting meanwhile, in
 * a live region; without JavaScript, the link renders the page with them.
 */
function FiguresLater(props: { campaignId: string }) {
  const base = `/campaigns/${props.campaignId}/launch`;
  return (
    <section
      class="figures-pending"
      aria-live="polite"
      aria-label="The audience of the next run"
      data-fragment-src={`${base}/figures`}
    >
      <p data-fragment-waiting hidden>
        Counting the audience…
      </p>
      <p data-fragment-fallback>
        <a href={`${base}?count=1`}>
          Count the audience: who gets it, who is skipped and why, and when it would end
        </a>
      </p>
    </section>
  );
}

/** The launch preview's content: what the next run would do, then the way to launch it. */
export function LaunchView(props: {
  actor: Actor;
  data: LaunchData;
  /** The figures, when the page holds them; else they come after it (FiguresLater). */
  preview?: Preview;
  zone: string;
  error?: string;
}) {
  const { data } = props;
  const { campaign, template, listNames } = data;
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
      {props.preview ? (
        <LaunchFigures actor={props.actor} data={data} preview={props.preview} zone={props.zone} />
      ) : (
        <FiguresLater campaignId={campaign.id} />
      )}
      <LaunchAction actor={props.actor} data={data} zone={props.zone} />
    </div>
  );
}
