import { AppError } from '../../errors';
import type { ApiAnswer } from '../api-call';

/**
 * A write the API refused for the role (a forged form: the page hid it) is the console's 403
 * page, not a form with an error; any other refusal is shown on the form.
 */
export function refusedForRole<T>(answer: ApiAnswer<T>): void {
  if (!answer.ok && (answer.status === 403 || answer.status === 401)) {
    throw new AppError(answer.status === 403 ? 'forbidden' : 'unauthorized', answer.problem.detail);
  }
}
