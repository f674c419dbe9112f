import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { audienceFigures } from '../../campaigns/audience-figures';
import { getCampaign } from '../../campaigns/get-campaigns';
import type { ScheduleFirings } from '../../campaigns/schedule-schemas';
import type { Campaign } from '../../campaigns/schemas';
import { skipWarnings } from '../../campaigns/skip-rule';
import type { AppContext } from '../../context';
import { AppError } from '../../errors';
import { orderedParameters } from '../../templates/body-parameters';
import { getTemplate } from '../../templates/get-templates';
import { type ApiAnswer, callApi, errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { Page } from '../layout';
import type { FieldErrors } from '../ui/form';
import { readForm } from '../ui/form-data';
import { viewerZone } from '../ui/format';
import { CampaignForm, type FormMode, type SkipQuestion } from './campaign-form';
import { loadFormOptions } from './form-options';
import {
  apiBody,
  blankCampaign,
  type CampaignValues,
  rateOf,
  valuesFromForm,
  valuesOf,
} from './form-values';
import { windowErrorWords } from './send-window-field';

type FormState = {
  mode: FormMode;
  action: string;
  values: CampaignValues;
  errors?: FieldErrors;
  message?: string;
  skips?: SkipQuestion;
};

/** The schedule's own errors (next-firings.ts names `cron`, `at`) beside the form's fields. */
function firingErrors(firings: ScheduleFirings | undefined): FieldErrors {
  return Object.fromEntries(
    (firings?.errors ?? []).map((e) => [
      e.path === '(root)' ? 'schedule' : `schedule.${e.path}`,
      e.message,
    ]),
  );
}

async function renderForm(deps: ConsoleDeps, c: Context, state: FormState) {
  const options = await loadFormOptions(deps.ctx, state.values);
  const errors = { ...firingErrors(options.firings), ...state.errors };
  return c.html(
    <Page
      actor={actorOf(c)}
      area="campaigns"
      title={state.mode === 'new' ? 'New campaign' : 'Change the campaign'}
      subtitle={
        state.mode === 'new' ? (
          <a href="/campaigns">Back to campaigns</a>
        ) : (
          <a href={state.action.replace(/\/edit$/, '')}>Back to “{state.values.name}”</a>
        )
      }
      scripts={['field-errors.js', 'campaign-form.js']}
    >
      <CampaignForm
        actor={actorOf(c)}
        action={state.action}
        mode={state.mode}
        values={state.values}
        options={options}
        errors={errors}
        message={state.message}
        skips={state.skips}
      />
    </Page>,
  );
}

/** Who a schedule would skip, and why, by the feature's own figures and words (skip-rule.ts). */
async function skipQuestion(ctx: AppContext, values: CampaignValues): Promise<SkipQuestion> {
  const template = await getTemplate(ctx, values.templateId);
  const figures = await audienceFigures(
    ctx.database,
    values.listIds,
    orderedParameters(template),
    ctx.config.TEMPLATE_PARAMETER_MAX_CHARS,
  );
  return { skipped: figures.skipped, reasons: skipWarnings(figures) };
}

/**
 * Saves through the API: a draft goes on to its launch preview, a scheduled campaign too (what
 * its next run would do), a paused one back to its page. A refusal shows the form again: the
 * errors beside their fields, or the skips with a box to schedule anyway.
 */
async function save(
  deps: ConsoleDeps,
  c: Context,
  state: FormState,
  call: () => Promise<ApiAnswer<Campaign>>,
) {
  if (rateOf(state.values) === 'invalid') {
    const errors = { ratePerSecond: 'must be a number of messages a second, such as 5 or 0.5' };
    return renderForm(deps, c, { ...state, errors });
  }
  const answer = await call();
  if (answer.ok) {
    const { id, status } = answer.data;
    const done = state.mode === 'new' ? 'created' : 'changed';
    const next = status === 'paused' ? `/campaigns/${id}` : `/campaigns/${id}/launch`;
    return c.redirect(`${next}?done=${done}`, 303);
  }
  const { problem } = answer;
  if (answer.status === 403 || answer.status === 404)
    throw new AppError(problem.code, problem.detail);
  if (problem.code === 'too_many_skips') {
    const skips = await skipQuestion(deps.ctx, state.values);
    const message =
      'Too many recipients would be skipped: tick the box at the end to schedule it anyway, or give the template’s placeholders fallbacks.';
    return renderForm(deps, c, { ...state, message, skips });
  }
  const errors = windowErrorWords(errorsByField(problem));
  const message = Object.keys(errors).length > 0 ? undefined : problem.detail;
  return renderForm(deps, c, { ...state, errors, message });
}

/** GET /campaigns/new (`?templateId=` from a template's page). */
export async function showNewCampaign(deps: ConsoleDeps, c: Context) {
  requirePermission(actorOf(c), 'write');
  const values = blankCampaign(viewerZone(c), c.req.query('templateId') ?? '');
  return renderForm(deps, c, { mode: 'new', action: '/campaigns/new', values });
}

/** POST /campaigns/new: save (create), or show the schedule's next times (without JavaScript). */
export async function submitNewCampaign(deps: ConsoleDeps, c: Context) {
  requirePermission(actorOf(c), 'write');
  const form = await readForm(c);
  const state: FormState = { mode: 'new', action: '/campaigns/new', values: valuesFromForm(form) };
  if (form.text('intent') === 'times') return renderForm(deps, c, state);
  return save(deps, c, state, () =>
    callApi<Campaign>(deps.api, c, 'POST', '/v1/campaigns', apiBody(state.values, false)),
  );
}

/** The campaign to change; one running or finished cannot be (docs/design.md, rule 8). */
async function editable(deps: ConsoleDeps, c: Context): Promise<Campaign> {
  requirePermission(actorOf(c), 'write');
  const campaign = await getCampaign(deps.ctx, c.req.param('id') ?? '');
  if (!['draft', 'scheduled', 'paused'].includes(campaign.status)) {
    throw new AppError(
      'invalid_transition',
      `“${campaign.name}” is ${campaign.status}: a campaign can be changed while it is a draft, scheduled or paused.`,
    );
  }
  return campaign;
}

const modeOf = (campaign: Campaign): FormMode => (campaign.status === 'paused' ? 'paused' : 'edit');

export async function showEditCampaign(deps: ConsoleDeps, c: Context) {
  const campaign = await editable(deps, c);
  const values = valuesOf(campaign, viewerZone(c));
  const action = `/campaigns/${campaign.id}/edit`;
  return renderForm(deps, c, { mode: modeOf(campaign), action, values });
}

export async function submitEditCampaign(deps: ConsoleDeps, c: Context) {
  const campaign = await editable(deps, c);
  const form = await readForm(c);
  const action = `/campaigns/${campaign.id}/edit`;
  // no choice posted (one sender, or a paused campaign's): it keeps its own
  const posted = valuesFromForm(form);
  const values = { ...posted, senderId: posted.senderId || campaign.senderId };
  const state: FormState = { mode: modeOf(campaign), action, values };
  if (form.text('intent') === 'times') return renderForm(deps, c, state);
  return save(deps, c, state, () =>
    callApi<Campaign>(
      deps.api,
      c,
      'PATCH',
      `/v1/campaigns/${campaign.id}`,
      apiBody(state.values, true),
    ),
  );
}
