import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { PageQuery } from '../http/pagination';
import { PathId } from '../http/params';
import {
  CreateToken,
  CreateUser,
  Me,
  NewToken,
  TokenList,
  UpdateUser,
  User,
  UserPage,
} from './schemas';

const UserIdParam = PathId('userId');
const adminOnly = 'Admins only (403 for other roles).';

export const meSpec = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags: ['users'],
  summary: 'Who calls: a signed-in user, a personal token (and its user) or the machine token',
  responses: { 200: json(Me, 'the caller'), ...problems(401) },
});

export const listUsersSpec = createRoute({
  method: 'get',
  path: '/v1/users',
  operationId: 'listUsers',
  tags: ['users'],
  summary: 'Users, newest first',
  description: adminOnly,
  request: { query: PageQuery },
  responses: { 200: json(UserPage, 'a page of users'), ...problems(400, 401, 403) },
});

export const createUserSpec = createRoute({
  method: 'post',
  path: '/v1/users',
  operationId: 'createUser',
  tags: ['users'],
  summary: 'Create a user with a role and a password',
  description: `${adminOnly} An email already taken is a 409 \`conflict\` naming \`email\`.`,
  request: {
    body: { content: { 'application/json': { schema: CreateUser } }, required: true },
  },
  responses: { 201: json(User, 'created'), ...problems(400, 401, 403, 409, 422) },
});

export const showUserSpec = createRoute({
  method: 'get',
  path: '/v1/users/{userId}',
  operationId: 'getUser',
  tags: ['users'],
  summary: 'One user',
  description: adminOnly,
  request: { params: UserIdParam },
  responses: { 200: json(User, 'the user'), ...problems(401, 403, 404) },
});

export const updateUserSpec = createRoute({
  method: 'patch',
  path: '/v1/users/{userId}',
  operationId: 'updateUser',
  tags: ['users'],
  summary: 'Rename a user, change their role or password, disable or enable them',
  description: `${adminOnly} Disabling, a new role or a new password ends the user's sessions. The last enabled admin cannot be demoted or disabled (409).`,
  request: {
    params: UserIdParam,
    body: { content: { 'application/json': { schema: UpdateUser } }, required: true },
  },
  responses: { 200: json(User, 'changed'), ...problems(400, 401, 403, 404, 409, 422) },
});

export const deleteUserSpec = createRoute({
  method: 'delete',
  path: '/v1/users/{userId}',
  operationId: 'deleteUser',
  tags: ['users'],
  summary: 'Delete a user, their sessions and their tokens',
  description: `${adminOnly} The last enabled admin cannot be deleted (409); the audit trail keeps their events.`,
  request: { params: UserIdParam },
  responses: { 204: { description: 'deleted' }, ...problems(401, 403, 404, 409) },
});

export const listTokensSpec = createRoute({
  method: 'get',
  path: '/v1/tokens',
  operationId: 'listTokens',
  tags: ['users'],
  summary: "The caller's personal API tokens, newest first (never the tokens themselves)",
  responses: { 200: json(TokenList, 'their tokens'), ...problems(401) },
});

export const createTokenSpec = createRoute({
  method: 'post',
  path: '/v1/tokens',
  operationId: 'createToken',
  tags: ['users'],
  summary: "Create a personal API token, which acts with the caller's role",
  description:
    'The token is in this answer only. At most TOKENS_PER_USER_MAX per user (409 past it); the machine token has no user and gets a 409.',
  request: {
    body: { content: { 'application/json': { schema: CreateToken } }, required: true },
  },
  responses: {
    201: json(NewToken, 'created: keep the token now'),
    ...problems(400, 401, 409, 422),
  },
});

export const revokeTokenSpec = createRoute({
  method: 'delete',
  path: '/v1/tokens/{tokenId}',
  operationId: 'revokeToken',
  tags: ['users'],
  summary: 'Revoke a personal API token: it stops working at once',
  description: "One's own tokens; an admin may revoke anyone's.",
  request: { params: PathId('tokenId') },
  responses: { 204: { description: 'revoked' }, ...problems(401, 404) },
});
