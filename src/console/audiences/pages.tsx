import { Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { listImports } from '../../contacts/import/imports';
import { getList, listLists } from '../../contacts/lists/lists';
import type { List } from '../../contacts/lists/schemas';
import { callApi, errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { type FormData, readForm } from '../ui/form-data';
import { contactPages } from './contact-routes';
import { DeleteListPage } from './delete-list-page';
import { ListFormPage, type ListValues } from './list-form';
import { ListPage } from './list-page';
import { ListsPage } from './lists-page';
import { contactsView } from './read-contacts';
import { refusedForRole } from './refused-for-role';
import { uploadPages } from './upload-routes';

/**
 * The Audiences area (docs/console.md): lists and their contacts, CSV uploads with a preview and
 * live progress, the search for a contact and its page, and the opt-outs. Reads call the
 * contacts feature's functions; writes go through the API in-process.
 */
export function audiencePages(deps: ConsoleDeps) {
  const { ctx } = deps;
  const listValues = (form: FormData): ListValues => ({
    name: form.text('name').trim(),
    description: form.text('description').trim(),
  });
  return new Hono()
    .get('/audiences', async (c) => {
      const page = await listLists(ctx, { cursor: c.req.query('cursor'), limit: 50 });
      return c.html(<ListsPage c={c} lists={page.data} nextCursor={page.nextCursor} />);
    })
    .get('/audiences/lists/new', (c) => {
      requirePermission(actorOf(c), 'write');
      return c.html(<ListFormPage c={c} values={{ name: '', description: '' }} errors={{}} />);
    })
    .post('/audiences/lists/new', async (c) => {
      const values = listValues(await readForm(c));
      const answer = await callApi<List>(deps.api, c, 'POST', '/v1/lists', {
        name: values.name,
        ...(values.description ? { description: values.description } : {}),
      });
      refusedForRole(answer);
      if (!answer.ok) {
        const errors = errorsByField(answer.problem);
        return c.html(
          <ListFormPage c={c} values={values} errors={errors} message={answer.problem.detail} />,
        );
      }
      return c.redirect(`/audiences/lists/${answer.data.id}/upload?done=created`, 303);
    })
    .get('/audiences/lists/:listId', async (c) => {
      const list = await getList(ctx, c.req.param('listId'));
      const [view, imports] = await Promise.all([
        contactsView(ctx, c, list.id),
        listImports(ctx, list.id, { limit: 5 }),
      ]);
      return c.html(<ListPage c={c} list={list} view={view} imports={imports.data} />);
    })
    .get('/audiences/lists/:listId/edit', async (c) => {
      requirePermission(actorOf(c), 'write');
      const list = await getList(ctx, c.req.param('listId'));
      const values = { name: list.name, description: list.description ?? '' };
      return c.html(<ListFormPage c={c} list={list} values={values} errors={{}} />);
    })
    .post('/audiences/lists/:listId/edit', async (c) => {
      const list = await getList(ctx, c.req.param('listId'));
      const values = listValues(await readForm(c));
      const answer = await callApi(deps.api, c, 'PATCH', `/v1/lists/${list.id}`, {
        name: values.name,
        description: values.description || null,
      });
      refusedForRole(answer);
      if (!answer.ok) {
        const errors = errorsByField(answer.problem);
        return c.html(
          <ListFormPage
            c={c}
            list={list}
            values={values}
            errors={errors}
            message={answer.problem.detail}
          />,
        );
      }
      return c.redirect(`/audiences/lists/${list.id}?done=renamed`, 303);
    })
    .get('/audiences/lists/:listId/delete', async (c) => {
      requirePermission(actorOf(c), 'write');
      return c.html(<DeleteListPage c={c} list={await getList(ctx, c.req.param('listId'))} />);
    })
    .post('/audiences/lists/:listId/delete', async (c) => {
      const list = await getList(ctx, c.req.param('listId'));
      const answer = await callApi(deps.api, c, 'DELETE', `/v1/lists/${list.id}`);
      refusedForRole(answer);
      if (!answer.ok) {
        // The API's 409 names the campaign with its id too, which a marketer never sees.
        const message =
          answer.status === 409
            ? 'A campaign that is scheduled, running or paused sends to this list: cancel it, or let it finish, then delete the list.'
            : answer.problem.detail;
        return c.html(<DeleteListPage c={c} list={list} message={message} />);
      }
      return c.redirect('/audiences?done=deleted', 303);
    })
    .route('/', uploadPages(deps))
    .route('/', contactPages(deps));
}
