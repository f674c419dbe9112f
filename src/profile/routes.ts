import type { AppContext } from '../context';
import { createRouter } from '../http/openapi';
import { getProfile, updateProfile } from './profile';
import { getProfileSpec, patchProfileSpec } from './route-specs';

/** The business profile, read from and written to the provider. */
export function profileRoutes(ctx: AppContext) {
  return createRouter()
    .openapi(getProfileSpec, async (c) => c.json(await getProfile(ctx), 200))
    .openapi(patchProfileSpec, async (c) =>
      c.json(await updateProfile(ctx, c.req.valid('json')), 200),
    );
}
