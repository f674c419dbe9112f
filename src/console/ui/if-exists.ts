import { AppError } from '../../errors';

/**
 * A read whose thing may have gone since the page was asked for (a deleted list, a template):
 * undefined instead of a 404, so the page shows the rest.
 */
export async function ifExists<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return undefined;
    throw error;
  }
}
