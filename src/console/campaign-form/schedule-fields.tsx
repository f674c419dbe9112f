import type { ScheduleFirings } from '../../campaigns/schedule-schemas';
import { type FieldErrors, fieldId, InputField, RadioChoices, SelectField } from '../ui/form';
import type { CampaignValues, ScheduleKind } from './form-values';
import { presets, zones } from './schedule-choices';

const kinds: { value: ScheduleKind; label: string; hint: string }[] = [
  {
    value: 'now',
    label: 'When I start it',
    hint: 'Saved as a draft; you start it after the launch preview.',
  },
  { value: 'once', label: 'Once, at a date and time', hint: 'It sends by itself at that time.' },
  {
    value: 'repeat',
    label: 'Repeatedly',
    hint: 'Each time is a run to the lists as they are then.',
  },
];

/**
 * A schedule's next firings in words, as the campaigns feature computes them (next-firings.ts):
 * "Every Monday at 09:00 in Europe/Paris: Mon 30 Nov, 09:00 · …"; for a one-off in each
 * recipient's own time, when it starts. campaign-form.js redraws it from GET /v1/schedules/next
 * as the fields change.
 */
export function FiringsPreview(props: { firings?: ScheduleFirings; localTime?: boolean }) {
  const { firings } = props;
  if (!firings || firings.errors.length > 0 || !firings.description) {
    return <p class="muted">The next times appear here once the schedule is complete.</p>;
  }
  const [start] = firings.next;
  if (props.localTime && start)
    return (
      <p class="firings-summary">
        <strong>{firings.description}</strong>
        {`: it starts where the day begins (UTC+14) on `}
        <time datetime={start.at}>{start.local}</time>
        {` ${firings.timezone.replaceAll('_', ' ')} time, and reaches the last zones about a day later.`}
      </p>
    );
  return (
    <>
      <p class="firings-summary">
        <strong>{firings.description}</strong>
        {firings.next.length > 1 ? ': the next times are' : ':'}
      </p>
      <ol class="firings">
        {firings.next.map((firing) => (
          <li>
            <time datetime={firing.at}>{firing.local}</time>
          </li>
        ))}
      </ol>
    </>
  );
}

/** The schedule's fields: when, then the time or the repetition, the zone and the next times. */
export function ScheduleFields(props: {
  values: CampaignValues;
  errors: FieldErrors;
  firings?: ScheduleFirings;
}) {
  const { values, errors } = props;
  const error = (name: string) => errors[name];
  return (
    <fieldset class="field schedule" id={fieldId('schedule')} data-schedule>
      <legend>When to send</legend>
      {error('schedule') ? <p class="error-message">{error('schedule')}</p> : null}
      <RadioChoices
        name="scheduleKind"
        choices={kinds}
        checked={values.scheduleKind}
        marker="data-schedule-kind"
      />
      <div class="schedule-details" data-when="once">
        <InputField
          name="schedule.at"
          label="Date and time"
          hint="In the time zone below, or in each recipient’s own if you tick the box."
          error={error('schedule.at')}
          input={{
            type: 'datetime-local',
            value: values.at,
            class: 'narrow',
            'data-schedule-input': true,
          }}
        />
        <div class="field">
          <label class="checkbox">
            <input
              type="checkbox"
              name="schedule.localTime"
              value="yes"
              checked={values.localTime}
              aria-describedby={`${fieldId('schedule.localTime')}-hint`}
              data-local-time
            />
            At this time in each recipient’s own time zone
          </label>
          <p class="hint" id={`${fieldId('schedule.localTime')}-hint`}>
            It rolls around the world over about a day: it starts where the day begins (UTC+14, the
            Pacific’s Line Islands), then reaches each zone as its clocks show that time. The time
            zone below is then for recipients whose own is unknown.
          </p>
        </div>
      </div>
      <div class="schedule-details" data-when="repeat">
        <SelectField
          name="preset"
          label="Repeat"
          select={{ 'data-preset': true, 'data-schedule-input': true }}
        >
          {presets.map((preset) => (
            <option value={preset.cron} selected={values.preset === preset.cron}>
              {preset.label}
            </option>
          ))}
          <option value="custom" selected={values.preset === 'custom'}>
            Custom: a cron pattern
          </option>
        </SelectField>
        <input type="hidden" name="cronShown" value={values.cron} data-cron-shown />
        <InputField
          name="schedule.cron"
          label="Cron pattern"
          hint="For a custom repetition: minute, hour, day of the month, month, day of the week. 0 9 * * MON is every Monday at 09:00."
          error={error('schedule.cron')}
          input={{
            value: values.cron,
            class: 'narrow mono',
            maxlength: 200,
            autocomplete: 'off',
            spellcheck: false,
            'data-cron': true,
            'data-schedule-input': true,
          }}
        />
      </div>
      <div class="schedule-details" data-when="once repeat">
        <SelectField
          name="schedule.timezone"
          label="Time zone"
          error={error('schedule.timezone')}
          select={{ 'data-schedule-input': true }}
        >
          {(zones.includes(values.timezone) ? zones : [values.timezone, ...zones]).map((zone) => (
            <option value={zone} selected={zone === values.timezone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </SelectField>
        <div class="firings-box" aria-live="polite" data-firings>
          <FiringsPreview
            firings={props.firings}
            localTime={values.scheduleKind === 'once' && values.localTime}
          />
        </div>
        <button
          type="submit"
          class="button"
          name="intent"
          value="times"
          formnovalidate
          data-no-script
        >
          Show the next times
        </button>
      </div>
    </fieldset>
  );
}
