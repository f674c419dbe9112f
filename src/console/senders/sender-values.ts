import type { Sender } from '../../senders/schemas';
import type { FieldErrors } from '../ui/form';
import type { FormData } from '../ui/form-data';

/** A sender's own fields as typed (strings), before they become the API's JSON. */
export type SenderValues = {
  name: string;
  displayPhoneNumber: string;
  /** Messages a second; empty: 20, the API's default for a new sender. */
  ratePerSecond: string;
  /** People a day; empty: no limit. */
  messagingLimit24h: string;
};

export const blankSender: SenderValues = {
  name: '',
  displayPhoneNumber: '',
  ratePerSecond: '',
  messagingLimit24h: '',
};

export const valuesOfSender = (sender: Sender): SenderValues => ({
  name: sender.name,
  displayPhoneNumber: sender.displayPhoneNumber ?? '',
  ratePerSecond: String(sender.ratePerSecond),
  messagingLimit24h: sender.messagingLimit24h === null ? '' : String(sender.messagingLimit24h),
});

export const senderValuesFromForm = (form: FormData): SenderValues => ({
  name: form.text('name'),
  displayPhoneNumber: form.text('displayPhoneNumber').trim(),
  ratePerSecond: form.text('ratePerSecond').trim(),
  messagingLimit24h: form.text('messagingLimit24h').trim(),
});

/**
 * A typed number, `''` when empty. A rate reads a decimal comma as the campaign form does
 * (`0,5`); a count drops the thousands' commas and spaces the console writes (`10,000`). A
 * field that is no number is the form's own error.
 */
function numberOf(text: string, kind: 'rate' | 'count'): number | '' | 'invalid' {
  if (text === '') return '';
  const value = Number(kind === 'rate' ? text.replace(',', '.') : text.replaceAll(/[\s,]/g, ''));
  if (!Number.isFinite(value) || (kind === 'count' && !Number.isInteger(value))) return 'invalid';
  return value;
}

/**
 * The API's JSON for a sender's own fields (the credentials are added beside): a create leaves
 * out what is empty, a change clears the display number and the limit with null. The rate and
 * the limit are left out for the default sender, whose come from the environment (a 409). The
 * form's own errors, when a number is no number, come back instead.
 */
export function senderBody(
  values: SenderValues,
  options: { change: boolean; fromEnvironment?: boolean },
): { body: Record<string, unknown> } | { errors: FieldErrors } {
  const rate = numberOf(values.ratePerSecond, 'rate');
  const limit = numberOf(values.messagingLimit24h, 'count');
  const errors: FieldErrors = {
    ...(rate === 'invalid'
      ? { ratePerSecond: 'must be a number of messages a second, such as 20 or 0.5' }
      : {}),
    ...(limit === 'invalid'
      ? { messagingLimit24h: 'must be a whole number of people, or empty for no limit' }
      : {}),
  };
  if (rate === 'invalid' || limit === 'invalid') return { errors };
  const empty = options.change ? null : undefined;
  return {
    body: {
      name: values.name.trim(),
      displayPhoneNumber: values.displayPhoneNumber === '' ? empty : values.displayPhoneNumber,
      ...(options.fromEnvironment
        ? {}
        : {
            ratePerSecond: rate === '' ? undefined : rate,
            messagingLimit24h: limit === '' ? empty : limit,
          }),
    },
  };
}
