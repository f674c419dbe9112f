import { type Context, Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { getCampaign } from '../../campaigns/get-campaigns';
import type { Campaign } from '../../campaigns/schemas';
import { AppError, type ProblemDocument } from '../../errors';
import { callApi } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { viewerZone } from '../ui/format';
import { CancelPage, RetryPage } from './confirm-pages';
import { loadFigures } from './load-campaign';
import { renderCampaign } from './render-campaign';

/**
 * The problem of a refused action in the campaign's words: its detail names the campaign by id,
 * which a marketer never sees (docs/console.md), so the name stands in.
 */
const problemText = (problem: ProblemDocument, campaign: Campaign) =>
  problem.detail.replaceAll(campaign.id, `“${campaign.name}”`);

const retryStatusOf = (value: unknown) =>
  value === 'unknown' || value === 'failed' ? value : undefined;

/**
 * The campaign's actions, each through the API in-process (its permission check, audit and
 * verb): pause and resume at once; cancel and retry after a confirmation page that says what
 * will happen in numbers. Success redirects to the campaign's page with a notice (Post/
 * Redirect/Get); a refusal shows the page again with the API's reason at the top.
 */
export function writeRoutes(deps: ConsoleDeps) {
  const { ctx, api } = deps;
  // A 403 is the error page: a role that may not write got here only by a forged form
  // (docs/design.md, rule 27); the API refused it and changed nothing.
  const post = async (c: Context, verb: string, body?: unknown) => {
    const answer = await callApi(
      api,
      c,
      'POST',
      `/v1/campaigns/${c.req.param('id')}/${verb}`,
      body,
    );
    if (!answer.ok && answer.status === 403) throw new AppError('forbidden', answer.problem.detail);
    return answer;
  };
  const done = (c: Context, what: string) =>
    c.redirect(`/campaigns/${c.req.param('id')}?done=${what}`, 303);

  const cancelPage = async (c: Context, error?: string) => {
    requirePermission(actorOf(c), 'write');
    const campaign = await getCampaign(ctx, c.req.param('id') ?? '');
    const { stats } = await loadFigures(ctx, campaign.id);
    const page = (
      <CancelPage
        actor={actorOf(c)}
        campaign={campaign}
        stats={stats}
        zone={viewerZone(c)}
        error={error}
      />
    );
    return c.html(page);
  };
  const retryPage = async (c: Context, status: 'unknown' | 'failed', error?: string) => {
    requirePermission(actorOf(c), 'write');
    const campaign = await getCampaign(ctx, c.req.param('id') ?? '');
    const { progress } = await loadFigures(ctx, campaign.id);
    return c.html(
      <RetryPage
        actor={actorOf(c)}
        campaign={campaign}
        progress={progress}
        status={status}
        error={error}
      />,
    );
  };

  return new Hono()
    .post('/campaigns/:id/pause', async (c) => {
      const campaign = await getCampaign(ctx, c.req.param('id'));
      const answer = await post(c, 'pause');
      return answer.ok
        ? done(c, 'paused')
        : renderCampaign(deps, c, problemText(answer.problem, campaign));
    })
    .post('/campaigns/:id/resume', async (c) => {
      const campaign = await getCampaign(ctx, c.req.param('id'));
      const answer = await post(c, 'resume', {});
      return answer.ok
        ? done(c, 'resumed')
        : renderCampaign(deps, c, problemText(answer.problem, campaign));
    })
    .get('/campaigns/:id/cancel', (c) => cancelPage(c))
    .post('/campaigns/:id/cancel', async (c) => {
      const campaign = await getCampaign(ctx, c.req.param('id'));
      const answer = await post(c, 'cancel');
      return answer.ok
        ? done(c, 'cancelled')
        : cancelPage(c, problemText(answer.problem, campaign));
    })
    .get('/campaigns/:id/retry', (c) => {
      const status = retryStatusOf(c.req.query('status'));
      return status ? retryPage(c, status) : c.redirect(`/campaigns/${c.req.param('id')}`, 303);
    })
    .post('/campaigns/:id/retry', async (c) => {
      const form = await c.req.parseBody();
      const status = retryStatusOf(form.status);
      const campaign = await getCampaign(ctx, c.req.param('id'));
      if (!status) return retryPage(c, 'unknown', 'Choose which messages to send again.');
      const answer = await post(c, 'retry', { statuses: [status] });
      return answer.ok
        ? done(c, 'retried')
        : retryPage(c, status, problemText(answer.problem, campaign));
    });
}
