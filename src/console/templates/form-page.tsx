import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import type { AppContext } from '../../context';
import { AppError } from '../../errors';
import { orderedParameters } from '../../templates/body-parameters';
import { getTemplate } from '../../templates/get-templates';
import { type TemplatePreview, TemplatePreviewRequest } from '../../templates/preview-schemas';
import { previewTemplate } from '../../templates/preview-template';
import type { Template } from '../../templates/schemas';
import { callApi, errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { Page } from '../layout';
import { readForm } from '../ui/form-data';
import { loadPreviewSource } from './preview-source';
import {
  emptyTemplate,
  TemplateForm,
  type TemplateValues,
  writtenParameters,
} from './template-form';

const noPreview: TemplatePreview = {
  contact: null,
  parameters: [],
  followUp: null,
  missing: [],
  errors: [],
  skipReason: null,
};

/** `parameters.1` as a person reads it: `Parameter {{2}}`. */
const fieldWords = (path: PropertyKey[]) =>
  path[0] === 'parameters' && typeof path[1] === 'number'
    ? `Parameter {{${path[1] + 1}}}`
    : path.join('.');

/**
 * The preview for one contact, by the feature's previewTemplate (what POST /v1/templates/preview
 * answers), the request checked by that route's schema first.
 */
export async function previewOf(
  ctx: AppContext,
  request: { parameters?: string[]; templateId?: string; contactId?: string },
): Promise<{ preview: TemplatePreview; errors?: string[] }> {
  const parsed = TemplatePreviewRequest.safeParse(request);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => `${fieldWords(i.path)}: ${i.message}`);
    return { preview: noPreview, errors };
  }
  return { preview: await previewTemplate(ctx, parsed.data) };
}

const valuesOf = (template: Template): TemplateValues => ({
  name: template.name,
  namespace: template.namespace,
  languageCode: template.language.code,
  languagePolicy: template.language.policy,
  category: template.category ?? '',
  parameters: orderedParameters(template),
});

async function renderForm(
  deps: ConsoleDeps,
  c: Context,
  values: TemplateValues,
  picked: { listId?: string; contactId?: string },
  problem?: { errors: Record<string, string>; message?: string },
) {
  const source = await loadPreviewSource(deps.ctx, picked);
  const parameters = writtenParameters(values.parameters);
  const { preview, errors } = await previewOf(deps.ctx, {
    parameters,
    contactId: source.contactId,
  });
  // a preview marks what the API would refuse beside its field; a refused save also sums it up
  const fieldErrors =
    problem?.errors ?? Object.fromEntries(preview.errors.map((e) => [e.path, e.message]));
  return c.html(
    <Page
      actor={actorOf(c)}
      area="templates"
      title="New template"
      subtitle={<a href="/templates">Back to templates</a>}
      scripts={['field-errors.js', 'templates.js']}
    >
      <TemplateForm
        actor={actorOf(c)}
        values={values}
        errors={fieldErrors}
        summary={problem !== undefined}
        message={problem?.message}
        source={source}
        preview={preview}
        previewErrors={errors}
      />
    </Page>,
  );
}

/**
 * GET /templates/new, blank or a copy of a saved template (`?from=`), previewed for a contact of
 * `?previewList=` (templates.js reads a list's contacts and columns from this page).
 */
export async function showNewTemplate(deps: ConsoleDeps, c: Context) {
  requirePermission(actorOf(c), 'write');
  const from = c.req.query('from');
  const values = from ? valuesOf(await getTemplate(deps.ctx, from)) : emptyTemplate;
  const picked = { listId: c.req.query('previewList'), contactId: c.req.query('previewContact') };
  return renderForm(deps, c, values, picked);
}

/**
 * POST /templates/new: "Save template" registers it through the API; "Preview" (without
 * JavaScript) shows the form again with the preview for the chosen contact.
 */
export async function submitNewTemplate(deps: ConsoleDeps, c: Context) {
  requirePermission(actorOf(c), 'write');
  const form = await readForm(c);
  const values: TemplateValues = {
    name: form.text('name'),
    namespace: form.text('namespace'),
    languageCode: form.text('language.code'),
    languagePolicy: form.text('language.policy') || 'deterministic',
    category: form.text('category'),
    parameters: form.texts('parameters').slice(0, 101),
  };
  const picked = { listId: form.text('previewList'), contactId: form.text('previewContact') };
  if (form.text('intent') !== 'save') return renderForm(deps, c, values, picked);
  const answer = await callApi<Template>(deps.api, c, 'POST', '/v1/templates', {
    name: values.name,
    namespace: values.namespace,
    language: { code: values.languageCode, policy: values.languagePolicy },
    ...(values.category ? { category: values.category } : {}),
    parameters: writtenParameters(values.parameters),
  });
  if (answer.ok) return c.redirect(`/templates/${answer.data.id}?done=created`, 303);
  if (answer.status === 403) throw new AppError('forbidden', answer.problem.detail);
  const errors = errorsByField(answer.problem);
  const message = Object.keys(errors).length > 0 ? undefined : answer.problem.detail;
  return renderForm(deps, c, values, picked, { errors, message });
}
