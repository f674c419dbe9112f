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
import { type LaunchData, LaunchView } from './launch-view';

const notices: Record<string, string> = {
  created: 'The campaign is saved. Here is what it would do.',
  changed: 'The changes are saved. Here is what the campaign would do now.',
};

/**
 * The launch data, read through the features' own functions: the preview is what
 * GET /v1/campaigns/{id}/preview answers (preview-campaign.ts), writing nothing.
 */
async function launchData(
  deps: ConsoleDeps,
  campaign: Campaign,
  zone: string,
): Promise<LaunchData> {
  const [preview, template, lists] = await Promise.all([
    previewCampaign(deps.ctx, campaign.id),
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
    preview,
    template,
    listNames: lists.map((list) => list?.name ?? null),
    scheduleWords,
  };
}

async function renderLaunch(deps: ConsoleDeps, c: Context, campaign: Campaign, error?: string) {
  const actor = actorOf(c);
  const title = 'Launch preview';
  const subtitle = (
    <>
      <a href={`/campaigns/${campaign.id}`}>{campaign.name}</a>{' '}
      <StateBadge state={campaign.status} />
    </>
  );
  if (!['draft', 'scheduled', 'paused'].includes(campaign.status)) {
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
  const data = await launchData(deps, campaign, viewerZone(c));
  const done = notices[c.req.query('done') ?? ''];
  return c.html(
    <Page actor={actor} area="campaigns" title={title} subtitle={subtitle}>
      {done ? <p class="notice ok">{done}</p> : null}
      <LaunchView actor={actor} data={data} zone={viewerZone(c)} error={error} />
    </Page>,
  );
}

/** GET /campaigns/:id/launch: what the next run would do, and the way to start it. */
export async function showLaunch(deps: ConsoleDeps, c: Context) {
  return renderLaunch(deps, c, await getCampaign(deps.ctx, c.req.param('id') ?? ''));
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
  return renderLaunch(deps, c, campaign, error);
}
