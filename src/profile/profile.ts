import type { AppContext } from '../context';
import { AppError } from '../errors';
import { type Profile, ProviderError } from '../provider/types';
import type { ProfileUpdate } from './schemas';

/** The provider's failures are 502 problem documents; anything else is ours (500). */
async function viaProvider<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderError)
      throw new AppError('provider_failed', `The provider failed to ${what}: ${error.message}`);
    throw error;
  }
}

export function getProfile(ctx: AppContext): Promise<Profile> {
  return viaProvider('read the business profile', () => ctx.provider.getProfile());
}

/** Passes the validated fields to the provider's `/me`, then answers the profile it now has. */
export async function updateProfile(ctx: AppContext, update: ProfileUpdate): Promise<Profile> {
  await viaProvider('update the business profile', () => ctx.provider.updateProfile(update));
  return getProfile(ctx);
}
