import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { contactsRoutes } from './contacts.routes';
import { importsRoutes } from './imports.routes';
import { listsRoutes } from './lists.routes';

/** Audiences: lists, imports, contacts and opt-outs. */
export function audienceRoutes(ctx: AppContext) {
  return createRouter()
    .route('/', listsRoutes(ctx))
    .route('/', importsRoutes(ctx))
    .route('/', contactsRoutes(ctx));
}
