import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import { orderedParameters, parameterNames } from '../../templates/body-parameters';
import { getTemplate } from '../../templates/get-templates';
import type { Template } from '../../templates/schemas';
import type { ConsoleDeps } from '../deps';
import { Page } from '../layout';
import { viewerZone } from '../ui/format';
import { Time } from '../ui/time';
import { previewOf } from './form-page';
import { PreviewPanel } from './preview-panel';
import { loadPreviewSource } from './preview-source';

const policyWords = {
  deterministic: 'deterministic (this language only)',
  fallback: "fallback (WhatsApp may pick the phone's language)",
};

function TemplateDetails(props: { template: Template; zone: string }) {
  const { template } = props;
  const names = parameterNames(template);
  return (
    <section class="card" aria-labelledby="details-heading">
      <h2 id="details-heading">As approved</h2>
      <dl class="details">
        <dt>Name</dt>
        <dd>{template.name}</dd>
        <dt>Namespace</dt>
        <dd>{template.namespace}</dd>
        <dt>Language</dt>
        <dd>
          {template.language.code}, {policyWords[template.language.policy]}
        </dd>
        <dt>Category</dt>
        <dd>{template.category ?? 'Not set'}</dd>
        <dt>Registered</dt>
        <dd>
          <Time at={template.createdAt} zone={props.zone} />
        </dd>
      </dl>
      <h3>Body parameters</h3>
      {orderedParameters(template).length === 0 ? (
        <p class="muted">None: every contact gets the same message.</p>
      ) : (
        <ol class="parameter-list">
          {orderedParameters(template).map((parameter, index) => (
            <li>
              <span class="rendered-label">{`{{${names?.[index] ?? index + 1}}}`}</span>{' '}
              <code>{parameter}</code>
            </li>
          ))}
        </ol>
      )}
      <HeaderAndButtons template={template} />
    </section>
  );
}

/**
 * A synced template's header and buttons that take values, and how each is filled (read only
 * here: PATCH /v1/templates/{id} `headerParameter` / `buttonParameters` sets them).
 */
function HeaderAndButtons(props: { template: Template }) {
  const { componentSlots: slots, headerParameter, buttonParameters } = props.template;
  if (!slots.header && slots.buttons.length === 0) return null;
  const unset = <span class="muted">not set</span>;
  const buttonValue = (index: number) =>
    buttonParameters.find((button) => button.index === index)?.value;
  return (
    <>
      <h3>Header and buttons</h3>
      <ul class="parameter-list">
        {slots.header ? (
          <li>
            <span class="rendered-label">
              {slots.header.format === 'text'
                ? 'Header text'
                : `Header ${slots.header.format} link`}
            </span>{' '}
            {headerParameter === null ? unset : <code>{headerParameter}</code>}
          </li>
        ) : null}
        {slots.buttons.map((button) => {
          const value = buttonValue(button.index);
          return (
            <li>
              <span class="rendered-label">{`Button ${button.index + 1} (${buttonWords[button.subType]})`}</span>{' '}
              {value === undefined ? (
                button.required ? (
                  unset
                ) : (
                  <span class="muted">optional, not set</span>
                )
              ) : (
                <code>{value}</code>
              )}
            </li>
          );
        })}
      </ul>
      <p class="muted">Set through the API: PATCH /v1/templates/{props.template.id}.</p>
    </>
  );
}

const buttonWords = {
  url: "the link's end",
  copy_code: 'the code to copy',
  quick_reply: "the reply's payload",
};

/** GET /templates/:id: the template as approved, and its preview for a contact of a list. */
export async function showTemplate(deps: ConsoleDeps, c: Context) {
  const actor = actorOf(c);
  const template = await getTemplate(deps.ctx, c.req.param('id') ?? '');
  const source = await loadPreviewSource(deps.ctx, {
    listId: c.req.query('previewList'),
    contactId: c.req.query('previewContact'),
  });
  const { preview } = await previewOf(deps.ctx, {
    templateId: template.id,
    contactId: source.contactId,
  });
  const writer = can(actor, 'write');
  return c.html(
    <Page
      actor={actor}
      area="templates"
      title={template.name}
      subtitle={<a href="/templates">Back to templates</a>}
      primary={
        writer ? (
          <a class="button primary" href={`/campaigns/new?templateId=${template.id}`}>
            Use in a new campaign
          </a>
        ) : undefined
      }
    >
      {c.req.query('done') === 'created' ? (
        <p class="notice ok">The template is saved. Campaigns can send it now.</p>
      ) : null}
      <div class="template-layout">
        <div>
          <TemplateDetails template={template} zone={viewerZone(c)} />
          {writer ? (
            <p class="muted">
              A saved template does not change: WhatsApp approved it as it is.{' '}
              <a href={`/templates/new?from=${template.id}`}>Copy it into a new template</a> to
              register a changed version.
            </p>
          ) : null}
        </div>
        <PreviewPanel
          mode="get"
          action={`/templates/${template.id}`}
          source={source}
          preview={preview}
        />
      </div>
    </Page>,
  );
}
