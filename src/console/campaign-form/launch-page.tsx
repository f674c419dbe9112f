import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { getCampaign } from '../../campaigns/get-campaigns';
import { previewCampaign } from '../../campaigns/preview-campaign';
import { describeSchedule } from '../../campaigns/schedule-words';
import type { Campaign } from '../../campaigns/schemas';
import { getList } from '../../contacts/lists/lists';
import { AppError } from '../../errors';
import { getTemplate } from '../../templates/get-templates';
import { callApi } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';
import { viewerZone } from '../ui/format';
import { ifExists } from '../ui/if-exists';
import { StateBadge } from '../ui/state';
import { type LaunchData, LaunchFigures, LaunchView } from './launch-view';

const notices: Record<string, string> = {
  created: 'The campaign is saved. Here is what it would do.',
  changed: 'The changes are saved. Here is what the campaign would do now.',
};

/**
 * What the launch page shows at once, read through the features' own functions: the campaign,
 * its template and lists by name, its schedule in words. The audience's figures are not among
 * them (figuresOf): counting a large audience takes longer than a page may.
 */
async function launchData(
  deps: ConsoleDeps,
  campaign: Campaign,
  zone: string,
): Promise<LaunchData> {
  const [template, lists] = await Promise.all([
    ifExists(() => getTemplate(deps.ctx, campaign.templateId)),
    Promise.all(campaign.listIds.map((id) => ifExists(() => getList(deps.ctx, id)))),
  ]);
  const schedule = campaign.schedule;
  const scheduleWords =
    schedule === null
      ? undefined
      : describeSchedule('cron' in schedule ? schedule : { at: new Date(schedule.at) }, zone);
  return {
    campaign,
    template,
    listNames: lists.map((list) => list?.name ?? null),
    scheduleWords,
  };
}

/** The preview's figures: what GET /v1/campaigns/{id}/preview answers (preview-campaign.ts). */
const figuresOf = (deps: ConsoleDeps, campaign: Campaign) => previewCampaign(deps.ctx, campaign.id);

/** A launch preview is of a campaign whose next run is ahead (preview-campaign.ts). */
const launchable = (campaign: Campaign) =>
  ['draft', 'scheduled', 'paused'].includes(campaign.status);

/**
 * The launch page. Its figures come inline when asked (`count`: the link of a page without
 * JavaScript, or a start refused for its skips, whose question is among them), else after it.
 */
async function renderLaunch(
  deps: ConsoleDeps,
  c: Context,
  campaign: Campaign,
  options: { count: boolean; error?: string },
) {
  const actor = actorOf(c);
  const title = 'Launch preview';
  const subtitle = (
    <>
      <a href={`/campaigns/${campaign.id}`}>{campaign.name}</a>{' '}
      <StateBadge state={campaign.status} />
    </>
  );
  if (!launchable(campaign)) {
    return c.html(
      <Page actor={actor} area="campaigns" title={title} subtitle={subtitle}>
        <EmptyState
          title={`This campaign is ${campaign.status}`}
          action={<a href={`/campaigns/${campaign.id}`}>Open the campaign</a>}
        >
          Its launch is behind it: its page shows how its runs go.
        </EmptyState>
      </Page>,
    );
  }
  const zone = viewerZone(c);
  const [data, preview] = await Promise.all([
    launchData(deps, campaign, zone),
    options.count ? figuresOf(deps, campaign) : undefined,
  ]);
  const done = notices[c.req.query('done') ?? ''];
  return c.html(
    <Page actor={actor} area="campaigns" title={title} subtitle={subtitle}>
      {done ? <p class="notice ok">{done}</p> : null}
      <LaunchView actor={actor} data={data} preview={preview} zone={zone} error={options.error} />
    </Page>,
  );
}

/** GET /campaigns/:id/launch: what the next run would do, and the way to start it. */
export async function showLaunch(deps: ConsoleDeps, c: Context) {
  const campaign = await getCampaign(deps.ctx, c.req.param('id') ?? '');
  return renderLaunch(deps, c, campaign, { count: c.req.query('count') === '1' });
}

/**
 * GET /campaigns/:id/launch/figures: the figures alone, an HTML fragment for the launch page's
 * script. A campaign started or finished meanwhile gets a sentence, not an error, with 200: the
 * browser would log a 4xx of a script's request as an error.
 */
export async function showLaunchFigures(deps: ConsoleDeps, c: Context) {
  const campaign = await getCampaign(deps.ctx, c.req.param('id') ?? '');
  c.header('Cache-Control', 'no-store');
  if (!launchable(campaign)) {
    return c.html(
      <p>
        This campaign is {campaign.status} now:{' '}
        <a href={`/campaigns/${campaign.id}`}>its page shows how its runs go</a>.
      </p>,
    );
  }
  const zone = viewerZone(c);
  const [data, preview] = await Promise.all([
    launchData(deps, campaign, zone),
    figuresOf(deps, campaign),
  ]);
  return c.html(<LaunchFigures actor={actorOf(c)} data={data} preview={preview} zone={zone} />);
}

/**
 * POST /campaigns/:id/launch: starts the campaign through the API (`acceptSkips` when the box is
 * ticked), then its page. Too many skips shows the preview again with the question in words.
 */
export async function submitLaunch(deps: ConsoleDeps, c: Context) {
  requirePermission(actorOf(c), 'write');
  const id = c.req.param('id') ?? '';
  const form = await c.req.parseBody();
  const acceptSkips = form.acceptSkips === 'yes';
  const answer = await callApi<Campaign>(
    deps.api,
    c,
    'POST',
    `/v1/campaigns/${encodeURIComponent(id)}/start`,
    acceptSkips ? { acceptSkips: true } : {},
  );
  if (answer.ok) return c.redirect(`/campaigns/${answer.data.id}?done=started`, 303);
  const { problem } = answer;
  if (answer.status === 403 || answer.status === 404)
    throw new AppError(problem.code, problem.detail);
  // someone else started or cancelled it meanwhile: the page shows where it is now
  if (problem.code === 'invalid_transition') return c.redirect(`/campaigns/${id}/launch`, 303);
  const campaign = await getCampaign(deps.ctx, id);
  const error =
    problem.code === 'too_many_skips'
      ? 'Too many recipients would be skipped. Tick “Start anyway” to start it all the same, or change the template or the lists first.'
      : problem.code === 'validation_failed'
        ? 'A list of this campaign no longer exists: change its lists before starting it.'
        : problem.detail;
  return renderLaunch(deps, c, campaign, { count: true, error });
}
