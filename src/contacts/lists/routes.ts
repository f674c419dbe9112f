import type { AppContext } from '../../context';
import { createRouter } from '../../http/openapi';
import { listAttributes } from './list-attributes';
import { createList, deleteList, getList, listLists, updateList } from './lists';
import {
  createListSpec,
  deleteListSpec,
  getListSpec,
  listAttributesSpec,
  listListsSpec,
  updateListSpec,
} from './route-specs';

/** Contact lists. */
export function listRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(createListSpec, async (c) => c.json(await createList(ctx, c.req.valid('json')), 201))
    .openapi(listListsSpec, async (c) => c.json(await listLists(ctx, c.req.valid('query')), 200))
    .openapi(getListSpec, async (c) => c.json(await getList(ctx, c.req.valid('param').listId), 200))
    .openapi(listAttributesSpec, async (c) =>
      c.json(await listAttributes(ctx, c.req.valid('param').listId), 200),
    )
    .openapi(updateListSpec, async (c) =>
      c.json(await updateList(ctx, c.req.valid('param').listId, c.req.valid('json')), 200),
    )
    .openapi(deleteListSpec, async (c) => {
      await deleteList(ctx, c.req.valid('param').listId);
      return c.body(null, 204);
    });
}
