import { actorOf } from '../access/actor';
import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { createToken, tokenOwner } from './create-token';
import { createUser } from './create-user';
import { deleteUser } from './delete-user';
import { getMe, getUser, listUsers } from './get-users';
import { listTokens } from './list-tokens';
import { revokeToken } from './revoke-token';
import {
  createTokenSpec,
  createUserSpec,
  deleteUserSpec,
  listTokensSpec,
  listUsersSpec,
  meSpec,
  revokeTokenSpec,
  showUserSpec,
  updateUserSpec,
} from './route-specs';
import { updateUser } from './update-user';

/** Users (admins only: src/access/permissions.ts), `/v1/me` and one's own personal tokens. */
export function userRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(meSpec, async (c) => c.json(await getMe(ctx, actorOf(c)), 200))
    .openapi(listUsersSpec, async (c) => c.json(await listUsers(ctx, c.req.valid('query')), 200))
    .openapi(createUserSpec, async (c) => c.json(await createUser(ctx, c.req.valid('json')), 201))
    .openapi(showUserSpec, async (c) =>
      c.json(await getUser(ctx, c.req.valid('param').userId), 200),
    )
    .openapi(updateUserSpec, async (c) =>
      c.json(await updateUser(ctx, c.req.valid('param').userId, c.req.valid('json')), 200),
    )
    .openapi(deleteUserSpec, async (c) => {
      await deleteUser(ctx, c.req.valid('param').userId);
      return c.body(null, 204);
    })
    .openapi(listTokensSpec, async (c) => c.json(await listTokens(ctx, actorOf(c)), 200))
    .openapi(createTokenSpec, async (c) => {
      const owner = tokenOwner(actorOf(c));
      return c.json(await createToken(ctx, owner.id, c.req.valid('json').name), 201);
    })
    .openapi(revokeTokenSpec, async (c) => {
      await revokeToken(ctx, actorOf(c), c.req.valid('param').tokenId);
      return c.body(null, 204);
    });
}
