import { CAP_BOUNDS, type FrequencyCap } from '../../delivery/frequency-cap';
import { type FieldErrors, fieldId, InputField, RadioChoices } from '../ui/form';
import type { CampaignValues, CapMode } from './form-values';

/** `2 per 7 days`. */
export const capWords = (cap: FrequencyCap) =>
  `${cap.max} per ${cap.days === 1 ? 'day' : `${cap.days} days`}`;

/**
 * How often one person may get a marketing template (docs/design.md, rule 35): the account's
 * default (FREQUENCY_CAP, said in words), none, or the campaign's own numbers.
 */
export function FrequencyCapField(props: {
  values: CampaignValues;
  defaultCap: FrequencyCap | undefined;
  errors: FieldErrors;
}) {
  const { values, defaultCap, errors } = props;
  const error = errors.frequencyCap;
  const modes: { value: CapMode; label: string; hint: string }[] = [
    {
      value: 'default',
      label: defaultCap ? `The account's cap: ${capWords(defaultCap)}` : "The account's cap (none)",
      hint: defaultCap
        ? 'Marketing templates from all campaigns count; utility and authentication ones are exempt.'
        : 'None is set (FREQUENCY_CAP), so nobody is held back.',
    },
    {
      value: 'off',
      label: 'No cap',
      hint: 'Nobody is held back for the templates they got lately.',
    },
    {
      value: 'own',
      label: 'This campaign’s own cap',
      hint: 'At most this many templates to one person in the days below, counting every campaign.',
    },
  ];
  return (
    <fieldset class="field frequency-cap" id={fieldId('frequencyCap')}>
      <legend>How often one person may hear from you</legend>
      <p class="hint">
        Someone who already got as many templates as the cap allows is skipped, not sent later.
      </p>
      {error ? <p class="error-message">{error}</p> : null}
      <RadioChoices name="frequencyCap.mode" choices={modes} checked={values.capMode} />
      <div class="cap-numbers">
        <InputField
          name="frequencyCap.max"
          label="Messages at most"
          hint={`1 to ${CAP_BOUNDS.max}`}
          error={errors['frequencyCap.max']}
          input={{
            type: 'number',
            value: values.capMax,
            min: 1,
            max: CAP_BOUNDS.max,
            step: 1,
            class: 'narrow',
          }}
        />
        <InputField
          name="frequencyCap.days"
          label="In any (days)"
          hint={`1 to ${CAP_BOUNDS.days}`}
          error={errors['frequencyCap.days']}
          input={{
            type: 'number',
            value: values.capDays,
            min: 1,
            max: CAP_BOUNDS.days,
            step: 1,
            class: 'narrow',
          }}
        />
      </div>
    </fieldset>
  );
}
