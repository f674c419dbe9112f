import { type AppliedWindow, MAX_DEADLINE_HOURS, WEEKDAYS } from '../../delivery/send-window';
import { quietHoursWords } from '../campaigns/send-window-words';
import { type FieldErrors, fieldId, InputField, RadioChoices } from '../ui/form';
import type { CampaignValues, WindowMode } from './form-values';

const DAY_NAMES = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
} as const;

/**
 * The API's errors of the window in the form's words: its fields by their labels, not their
 * JSON names, and a deadline's bounds as hours (the API's number check speaks of numbers).
 */
export function windowErrorWords(errors: FieldErrors): FieldErrors {
  const said = { ...errors };
  for (const path of ['sendWindow.from', 'sendWindow.to']) {
    const message = said[path];
    if (message) said[path] = message.replace('`from`', '“From”').replace('`to`', '“To”');
  }
  if (said['sendWindow.deadlineHours'])
    said['sendWindow.deadlineHours'] =
      `must be a whole number of hours from 1 to ${MAX_DEADLINE_HOURS}, or empty`;
  return said;
}

/**
 * When recipients may get it, in their own time (docs/design.md, rule 37): the account's quiet
 * hours (QUIET_HOURS, said in words), any time, or the campaign's own hours, days and how long a
 * message may wait for them. campaign-form.js shows the own window's fields only when chosen.
 */
export function SendWindowField(props: {
  values: CampaignValues;
  quietHours: AppliedWindow | undefined;
  errors: FieldErrors;
}) {
  const { values, quietHours, errors } = props;
  const daysError = errors['sendWindow.days'] ?? errors['sendWindow.days.0'];
  const modes: { value: WindowMode; label: string; hint: string }[] = [
    {
      value: 'default',
      label: quietHours
        ? `Account default: quiet from ${quietHoursWords(quietHours).replace('–', ' to ')} in each recipient's time`
        : 'Account default (none set)',
      hint: quietHours
        ? 'For marketing templates; utility and authentication ones go at any time.'
        : 'The account sets no quiet hours (QUIET_HOURS), so it sends at any time.',
    },
    {
      value: 'off',
      label: 'Any time',
      hint: 'Each message goes as soon as its turn comes, day or night.',
    },
    {
      value: 'own',
      label: 'Only between these hours',
      hint: 'In each recipient’s time, on the days ticked below.',
    },
  ];
  return (
    <fieldset class="field send-window" id={fieldId('sendWindow')} data-send-window>
      <legend>Send window</legend>
      <p class="hint">
        The hours a message may arrive, in each recipient’s own time (their time zone, else their
        phone number’s country). A message due outside them waits for the next opening.
      </p>
      {errors.sendWindow ? <p class="error-message">{errors.sendWindow}</p> : null}
      <RadioChoices
        name="sendWindow.mode"
        choices={modes}
        checked={values.windowMode}
        marker="data-window-mode"
      />
      <div class="schedule-details" data-window-own>
        <div class="cap-numbers">
          <InputField
            name="sendWindow.from"
            label="From"
            hint="When it opens."
            error={errors['sendWindow.from']}
            input={{ type: 'time', value: values.windowFrom, class: 'narrow' }}
          />
          <InputField
            name="sendWindow.to"
            label="To"
            hint="When it closes."
            error={errors['sendWindow.to']}
            input={{ type: 'time', value: values.windowTo, class: 'narrow' }}
          />
        </div>
        <fieldset
          class={daysError ? 'field field-error weekdays' : 'field weekdays'}
          id={fieldId('sendWindow.days')}
        >
          <legend>On these days</legend>
          <p class="hint">Hours past midnight (22:00 to 06:00) belong to the day they start.</p>
          {daysError ? <p class="error-message">{daysError}</p> : null}
          <div class="choices">
            {WEEKDAYS.map((day) => (
              <label>
                <input
                  type="checkbox"
                  name="sendWindow.days"
                  value={day}
                  checked={values.windowDays.includes(day)}
                />
                <span>{DAY_NAMES[day]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <InputField
          name="sendWindow.deadlineHours"
          label="Stop waiting after (hours, optional)"
          hint={`Messages still waiting this many hours after the run starts are not sent: they end expired. 1 to ${MAX_DEADLINE_HOURS}; empty: they wait as long as it takes.`}
          error={errors['sendWindow.deadlineHours']}
          input={{
            type: 'number',
            value: values.windowDeadline,
            min: 1,
            max: MAX_DEADLINE_HOURS,
            step: 1,
            class: 'narrow',
          }}
        />
      </div>
    </fieldset>
  );
}
