import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import { orderedParameters } from '../../templates/body-parameters';
import { listTemplates } from '../../templates/get-templates';
import type { Template } from '../../templates/schemas';
import type { ConsoleDeps } from '../deps';
import { EmptyState, Page } from '../layout';
import { formatNumber, viewerZone } from '../ui/format';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';

const PAGE_SIZE = 50;

/** A template's parameters in a line: `{{1}} Hi {{first_name|there}} · {{2}} …`, cut short. */
function parametersLine(parameters: string[]): string {
  if (parameters.length === 0) return 'No parameters';
  const line = parameters.map((text, i) => `{{${i + 1}}} ${text}`).join(' · ');
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}

function TemplatesTable(props: { templates: Template[]; zone: string }) {
  return (
    <DataTable
      caption="Templates, newest first"
      columns={['Name', 'Language', 'Parameters', 'Registered']}
    >
      {props.templates.map((template) => (
        <tr>
          <td>
            <a class="row-link" href={`/templates/${template.id}`}>
              {template.name}
            </a>
            {template.category ? <span class="muted"> · {template.category}</span> : null}
          </td>
          <td>{template.language.code}</td>
          <td>
            <span class="mono parameters-line" title={orderedParameters(template).join('\n')}>
              {parametersLine(orderedParameters(template))}
            </span>
          </td>
          <td>
            <Time at={template.createdAt} zone={props.zone} relative={false} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** GET /templates: newest first, 50 a page, "Load more" by the API's cursor. */
export async function showTemplateList(deps: ConsoleDeps, c: Context) {
  const actor = actorOf(c);
  const cursor = c.req.query('cursor');
  const page = await listTemplates(deps.ctx, { limit: PAGE_SIZE, cursor });
  const writer = can(actor, 'write');
  const create = (
    <a class="button primary" href="/templates/new">
      New template
    </a>
  );
  return c.html(
    <Page
      actor={actor}
      area="templates"
      title="Templates"
      primary={writer && page.data.length > 0 ? create : undefined}
      subtitle="The WhatsApp templates your campaigns send, with placeholders filled per contact."
    >
      {c.req.query('done') === 'deleted' ? (
        <p class="notice ok">The template was deleted.</p>
      ) : null}
      {page.data.length === 0 && !cursor ? (
        <EmptyState title="No templates yet" action={writer ? create : undefined}>
          {writer
            ? 'Create your first template: register one your WhatsApp Business account has approved, and fill its blanks with each contact’s name, city or any column of your lists.'
            : 'Templates appear here once a marketer registers them.'}
        </EmptyState>
      ) : (
        <>
          <TemplatesTable templates={page.data} zone={viewerZone(c)} />
          <div class="pagination">
            {cursor ? <a href="/templates">Back to the newest</a> : null}
            {page.nextCursor ? (
              <a class="button" href={`/templates?cursor=${encodeURIComponent(page.nextCursor)}`}>
                Load more
              </a>
            ) : null}
            <span class="muted">
              {formatNumber(page.data.length)} {page.data.length === 1 ? 'template' : 'templates'}
              {cursor || page.nextCursor ? ' on this page' : ''}
            </span>
          </div>
        </>
      )}
    </Page>,
  );
}
