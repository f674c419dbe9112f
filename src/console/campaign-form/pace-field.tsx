import { describedBy, Field, fieldId } from '../ui/form';
import { formatNumber, formatSpan } from '../ui/format';
import type { FormOptions } from './form-options';
import { type CampaignValues, rateOf } from './form-values';

/** `about 17 min`, or `less than a second`. */
export const durationWords = (seconds: number) =>
  seconds < 1 ? 'less than a second' : `about ${formatSpan(seconds)}`;

/**
 * `1,204 messages take about 1 min at 20 a second`: the chosen lists' contacts (before duplicates
 * and opt-outs, which the launch preview counts) at the pace that would apply, the lower of the
 * campaign's and the account's. campaign-form.js recomputes it as the fields change.
 */
export function paceWords(contacts: number, rate: number | null, accountRate: number): string {
  const pace = Math.min(rate ?? accountRate, accountRate);
  const count = contacts > 0 ? contacts : 1000;
  const what = `${formatNumber(count)} ${count === 1 ? 'message takes' : 'messages take'}`;
  return `${what} ${durationWords(count / pace)} at ${formatNumber(pace)} a second`;
}

export function PaceField(props: { values: CampaignValues; options: FormOptions; error?: string }) {
  const { values, options } = props;
  const chosen = options.lists.filter((list) => values.listIds.includes(list.id));
  const contacts = chosen.reduce((sum, list) => sum + list.contactCount, 0);
  const rate = rateOf(values);
  const accountRate = options.sendRatePerSecond;
  return (
    <Field
      name="ratePerSecond"
      label="Pace (optional)"
      hint={`Messages a second for this campaign, from 0.01 to 1,000. Empty: as fast as the account allows, ${formatNumber(accountRate)} a second for all campaigns together.`}
      error={props.error}
    >
      <input
        id={fieldId('ratePerSecond')}
        type="number"
        name="ratePerSecond"
        value={values.rate}
        min={0.01}
        max={1000}
        step="any"
        inputmode="decimal"
        class="narrow"
        aria-describedby={[describedBy('ratePerSecond', true, props.error), 'pace-words'].join(' ')}
        data-rate
      />
      <p
        class="pace-words"
        id="pace-words"
        aria-live="polite"
        data-pace-words
        data-account-rate={accountRate}
      >
        {paceWords(contacts, rate === 'invalid' ? null : rate, accountRate)}
        {contacts === 0 ? ' (choose lists to see yours)' : ''}.
      </p>
    </Field>
  );
}
