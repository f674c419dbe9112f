import { createRoute } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { Profile, ProfileUpdate } from './schemas';

export const getProfileSpec = createRoute({
  method: 'get',
  path: '/v1/profile',
  operationId: 'getProfile',
  tags: ['profile'],
  summary: "The business profile (the provider's /me)",
  responses: { 200: json(Profile, 'the profile'), ...problems(401, 502) },
});

export const patchProfileSpec = createRoute({
  method: 'patch',
  path: '/v1/profile',
  operationId: 'updateProfile',
  tags: ['profile'],
  summary: 'Change the business profile at the provider',
  request: {
    body: { content: { 'application/json': { schema: ProfileUpdate } }, required: true },
  },
  responses: {
    200: json(Profile, 'the profile after the change'),
    ...problems(400, 401, 422, 502),
  },
});
