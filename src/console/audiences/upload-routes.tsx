import type { Context } from 'hono';
import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { getImport } from '../../contacts/import/imports';
import type { Import } from '../../contacts/import/schemas';
import { getList } from '../../contacts/lists/lists';
import type { List } from '../../contacts/lists/schemas';
import type { ProblemDocument } from '../../errors';
import { errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { ImportPage, importFigures } from './import-page';
import { refusedForRole } from './refused-for-role';
import { UploadPage } from './upload-page';

/** The API's field paths of an upload's problem, as the upload form's field names. */
function uploadErrors(problem: ProblemDocument): Record<string, string> {
  const byField = errorsByField(problem);
  const names: Record<string, string> = {
    'query.phoneColumn': 'phoneColumn',
    'query.defaultCountry': 'defaultCountry',
  };
  return Object.fromEntries(
    Object.entries(byField).map(([path, message]) => [names[path] ?? path, message]),
  );
}

/**
 * The upload of a CSV file into a list, and an import's page with its live figures. The form
 * without JavaScript posts here: its multipart body is streamed on to the API's upload route
 * in-process, never held whole (the session guard took the CSRF token from the query).
 */
export function uploadPages(deps: ConsoleDeps) {
  const { ctx } = deps;
  const configured = ctx.config.DEFAULT_COUNTRY;
  const uploadPage = (c: Context, list: List, problem?: ProblemDocument) =>
    c.html(
      <UploadPage
        c={c}
        list={list}
        values={{ phoneColumn: '', defaultCountry: '' }}
        configured={configured}
        errors={problem ? uploadErrors(problem) : {}}
        message={problem?.detail}
      />,
    );
  return new Hono()
    .get('/audiences/lists/:listId/upload', async (c) => {
      requirePermission(actorOf(c), 'write');
      return uploadPage(c, await getList(ctx, c.req.param('listId')));
    })
    .post('/audiences/lists/:listId/upload', async (c) => {
      const list = await getList(ctx, c.req.param('listId'));
      const headers = new Headers({ accept: 'application/json' });
      for (const name of ['content-type', 'content-length']) {
        const value = c.req.header(name);
        if (value) headers.set(name, value);
      }
      const request = new Request(
        new URL(`/v1/lists/${list.id}/imports`, 'http://console.internal'),
        {
          method: 'POST',
          headers,
          body: c.req.raw.body,
          duplex: 'half',
        } as RequestInit,
      );
      const response = await deps.api(request, { consoleActor: actorOf(c) });
      const answer = (await response.json()) as Import | ProblemDocument;
      if (response.ok) return c.redirect(`/audiences/imports/${(answer as Import).id}`, 303);
      refusedForRole({ ok: false, status: response.status, problem: answer as ProblemDocument });
      return uploadPage(c, list, answer as ProblemDocument);
    })
    .get('/audiences/imports/:importId', async (c) => {
      const upload = await getImport(ctx, c.req.param('importId'));
      const list = await getList(ctx, upload.listId);
      return c.html(<ImportPage c={c} upload={upload} list={list} />);
    })
    .get('/audiences/imports/:importId/live', async (c) => {
      const { id } = await getImport(ctx, c.req.param('importId'));
      return deps.live.stream(c, `import:${id}`, () => importFigures(ctx, id));
    });
}
