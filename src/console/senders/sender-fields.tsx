import { MESSAGING_LIMIT_MAX, SENDER_RATE_BOUNDS } from '../../db/schema';
import { type FieldErrors, InputField } from '../ui/form';
import { formatNumber } from '../ui/format';
import type { SenderValues } from './sender-values';
import { limitWords, rateWords } from './words';

/** The labels of a sender's own fields, for the error summary. */
export const senderLabels: Record<string, string> = {
  name: 'Name',
  displayPhoneNumber: 'Number as people read it',
  ratePerSecond: 'Pace',
  messagingLimit24h: '24-hour limit',
  credentials: 'Credentials',
};

/**
 * A sender's own fields, with the API's bounds (src/senders/schemas.ts). The default sender's
 * pace and limit come from the environment (docs/design.md, rule 31): they are said, with their
 * variables, instead of offered.
 */
export function SenderFields(props: {
  values: SenderValues;
  errors: FieldErrors;
  fromEnvironment?: { ratePerSecond: number; messagingLimit24h: number | null };
}) {
  const { values, errors } = props;
  return (
    <>
      <InputField
        name="name"
        label="Name"
        hint="For your team, such as “Berlin shop”: recipients see the number, not this."
        error={errors.name}
        input={{ value: values.name, required: true, maxlength: 200 }}
      />
      <InputField
        name="displayPhoneNumber"
        label="Number as people read it (optional)"
        hint="Such as +49 30 1234567: shown beside its name in the console."
        error={errors.displayPhoneNumber}
        input={{ value: values.displayPhoneNumber, maxlength: 32, autocomplete: 'off' }}
      />
      {props.fromEnvironment ? (
        <p class="muted">
          Pace {rateWords(props.fromEnvironment.ratePerSecond)} (<code>SEND_RATE_PER_SECOND</code>)
          and 24-hour limit {limitWords(props.fromEnvironment.messagingLimit24h).toLowerCase()} (
          <code>MESSAGING_LIMIT_24H</code>): the default sender takes them from the service’s
          environment; change them there and restart.
        </p>
      ) : (
        <>
          <InputField
            name="ratePerSecond"
            label="Pace (optional)"
            hint={`The most messages a second through this number, from ${SENDER_RATE_BOUNDS.min} to ${formatNumber(SENDER_RATE_BOUNDS.max)}; 20 when empty. Your provider’s plan says how many it takes.`}
            error={errors.ratePerSecond}
            input={{ value: values.ratePerSecond, inputmode: 'decimal', autocomplete: 'off' }}
          />
          <InputField
            name="messagingLimit24h"
            label="24-hour limit (optional)"
            hint={`The most people sent a template in any 24 hours (Meta’s messaging limit of the number), up to ${formatNumber(MESSAGING_LIMIT_MAX)}; empty for none.`}
            error={errors.messagingLimit24h}
            input={{ value: values.messagingLimit24h, inputmode: 'numeric', autocomplete: 'off' }}
          />
        </>
      )}
    </>
  );
}
