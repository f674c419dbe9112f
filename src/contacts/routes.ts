import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { getContact, listContacts } from './contacts';
import { listContactLists } from './list-contact-lists';
import { addOptOut, listOptOuts, removeOptOut } from './opt-outs';
import {
  addOptOutSpec,
  getContactSpec,
  listContactListsSpec,
  listContactsSpec,
  listOptOutsSpec,
  removeOptOutSpec,
  searchContactsSpec,
} from './route-specs';
import { searchContacts } from './search-contacts';

/** A list's contacts, one contact and its lists, the search for contacts, and the opt-outs. */
export function contactRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(listContactsSpec, async (c) =>
      c.json(await listContacts(ctx, c.req.valid('param').listId, c.req.valid('query')), 200),
    )
    .openapi(getContactSpec, async (c) =>
      c.json(await getContact(ctx, c.req.valid('param').contactId), 200),
    )
    .openapi(searchContactsSpec, async (c) =>
      c.json(await searchContacts(ctx, c.req.valid('query')), 200),
    )
    .openapi(listContactListsSpec, async (c) =>
      c.json(
        await listContactLists(ctx, c.req.valid('param').contactId, c.req.valid('query')),
        200,
      ),
    )
    .openapi(listOptOutsSpec, async (c) =>
      c.json(await listOptOuts(ctx, c.req.valid('query')), 200),
    )
    .openapi(addOptOutSpec, async (c) => {
      const { optOut, created } = await addOptOut(ctx, c.req.valid('json').phone);
      return created ? c.json(optOut, 201) : c.json(optOut, 200);
    })
    .openapi(removeOptOutSpec, async (c) => {
      await removeOptOut(ctx, c.req.valid('param').phone);
      return c.body(null, 204);
    });
}
