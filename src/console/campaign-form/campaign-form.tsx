import type { Actor } from '../../access/actor';
import { senderOption } from '../senders/words';
import {
  CsrfField,
  describedBy,
  ErrorSummary,
  Field,
  type FieldErrors,
  fieldId,
  InputField,
  labelledErrors,
  SelectField,
  TextareaField,
} from '../ui/form';
import { formatNumber } from '../ui/format';
import type { FormOptions } from './form-options';
import type { CampaignValues } from './form-values';
import { FrequencyCapField } from './frequency-cap-field';
import { PaceField } from './pace-field';
import { ScheduleFields } from './schedule-fields';
import { SendWindowField } from './send-window-field';

/** What a launch would skip, when the API refused to schedule without `acceptSkips`. */
export type SkipQuestion = { skipped: number; reasons: string[] };

const labels: Record<string, string> = {
  name: 'Name',
  templateId: 'Template',
  listIds: 'Lists',
  senderId: 'Sender',
  'followUp.body': 'Follow-up',
  schedule: 'When to send',
  'schedule.at': 'Date and time',
  'schedule.cron': 'Cron pattern',
  'schedule.timezone': 'Time zone',
  ratePerSecond: 'Pace',
  frequencyCap: 'Frequency cap',
  'frequencyCap.max': 'Messages at most',
  'frequencyCap.days': 'In any (days)',
  sendWindow: 'Send window',
  'sendWindow.from': 'Send window from',
  'sendWindow.to': 'Send window to',
  'sendWindow.days': 'Send window days',
  'sendWindow.deadlineHours': 'Stop waiting after',
  'schedule.localTime': 'Each recipient’s own time zone',
  holdoutPercent: 'Holdout group',
};

/** What saving does, by the schedule chosen (campaign-form.js follows the choice). */
function submitWords(mode: FormMode) {
  if (mode === 'paused') return { now: 'Save changes', later: 'Save changes' };
  return {
    now: 'Save and preview the launch',
    later: mode === 'new' ? 'Schedule campaign' : 'Save and schedule',
  };
}

/** A new campaign, a change to a draft or scheduled one, or to a paused one (it stays paused). */
export type FormMode = 'new' | 'edit' | 'paused';

/**
 * The campaign form (docs/console.md: pages 4): template, lists, follow-up, schedule, pace, send
 * window, frequency cap, holdout. A
 * campaign without a schedule is saved as a draft for the launch preview; one with a schedule is
 * scheduled by saving it (the API's create and PATCH do so), after the same check of skips.
 */
export function CampaignForm(props: {
  actor: Actor;
  action: string;
  mode: FormMode;
  values: CampaignValues;
  options: FormOptions;
  errors: FieldErrors;
  message?: string;
  skips?: SkipQuestion;
}) {
  const { values, options, errors } = props;
  const words = submitWords(props.mode);
  return (
    <>
      <ErrorSummary errors={labelledErrors(errors, labels)} message={props.message} />
      <form method="post" action={props.action} class="stack campaign-form" data-campaign-form>
        {/* Enter in a field saves: the first submit button of a form is its default */}
        <button type="submit" name="intent" value="save" hidden>
          Save
        </button>
        <CsrfField actor={props.actor} />
        <InputField
          name="name"
          label="Name"
          hint="For your team: recipients never see it."
          error={errors.name}
          input={{ value: values.name, required: true, maxlength: 512 }}
        />
        <Field
          name="templateId"
          label="Template"
          hint="The approved template every recipient gets, its blanks filled per contact."
          error={errors.templateId}
        >
          {options.templates.length === 0 ? (
            <p class="notice warn" id={fieldId('templateId')}>
              No templates yet. <a href="/templates/new">Create a template</a> first, then come
              back.
            </p>
          ) : (
            <select
              id={fieldId('templateId')}
              name="templateId"
              aria-describedby={describedBy('templateId', true, errors.templateId)}
            >
              <option value="">Choose a template</option>
              {options.templates.map((template) => (
                <option value={template.id} selected={template.id === values.templateId}>
                  {`${template.name} (${template.language.code})`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ListsField
          values={values}
          options={options}
          error={errors.listIds ?? errors['listIds.0']}
        />
        <SenderField values={values} options={options} mode={props.mode} error={errors.senderId} />
        <TextareaField
          name="followUp.body"
          label="Follow-up message (optional)"
          hint="Sent once to each contact who replies, while the 24-hour window their reply opened lasts. Placeholders work as in templates: Thanks {{first_name|there}}! Leave it empty for none."
          error={errors['followUp.body']}
          value={values.followUp}
          textarea={{ maxlength: 4096, rows: 3 }}
        />
        <ScheduleFields values={values} errors={errors} firings={options.firings} />
        <PaceField values={values} options={options} error={errors.ratePerSecond} />
        <SendWindowField values={values} quietHours={options.quietHours} errors={errors} />
        <FrequencyCapField values={values} defaultCap={options.defaultCap} errors={errors} />
        <InputField
          name="holdoutPercent"
          label="Holdout group, % (optional)"
          hint="A share of the audience, 0 to 50, that gets nothing, the same people every run, so that the stats can show what the campaign changed. Empty: everyone is sent."
          error={errors.holdoutPercent}
          input={{
            type: 'number',
            value: values.holdout,
            min: 0,
            max: 50,
            step: 1,
            class: 'narrow',
          }}
        />
        {props.skips ? <SkipsQuestion skips={props.skips} /> : null}
        <div class="actions">
          <button
            type="submit"
            class="button primary"
            name="intent"
            value="save"
            data-submit-now={words.now}
            data-submit-later={words.later}
          >
            {values.scheduleKind === 'now' ? words.now : words.later}
          </button>
          <a href={props.mode === 'new' ? '/campaigns' : props.action.replace(/\/edit$/, '')}>
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}

function ListsField(props: { values: CampaignValues; options: FormOptions; error?: string }) {
  const { values, options } = props;
  return (
    <fieldset class={props.error ? 'field field-error' : 'field'} id={fieldId('listIds')}>
      <legend>Lists</legend>
      <p class="hint">
        Each contact gets it once, even when on several lists; opted-out phones are left out.
      </p>
      {props.error ? <p class="error-message">{props.error}</p> : null}
      {options.lists.length === 0 ? (
        <p class="notice warn">
          No lists yet. <a href="/audiences">Upload your contacts in Audiences</a>, then come back.
        </p>
      ) : (
        <div class="choices">
          {options.lists.map((list) => (
            <label>
              <input
                type="checkbox"
                name="listIds"
                value={list.id}
                checked={values.listIds.includes(list.id)}
                data-contacts={list.contactCount}
              />
              <span>
                {list.name}{' '}
                <span class="muted">
                  {formatNumber(list.contactCount)}{' '}
                  {list.contactCount === 1 ? 'contact' : 'contacts'}
                </span>
              </span>
            </label>
          ))}
        </div>
      )}
      {options.moreLists ? (
        <p class="hint">Showing the newest {formatNumber(options.lists.length)} lists.</p>
      ) : null}
    </fieldset>
  );
}

/**
 * The number it sends through, offered when there is a choice (docs/design.md, rule 31): the
 * default sender first, and chosen unless the campaign names another. A paused campaign keeps
 * its sender (it may be in the middle of a run), so the choice is shown but not offered.
 */
function SenderField(props: {
  values: CampaignValues;
  options: FormOptions;
  mode: FormMode;
  error?: string;
}) {
  const { senders } = props.options;
  if (senders.length < 2) return null;
  const chosen = props.values.senderId || senders.find((s) => s.isDefault)?.id;
  const paused = props.mode === 'paused';
  return (
    <SelectField
      name="senderId"
      label="Sender"
      hint={
        paused
          ? 'A paused campaign keeps its sender: it may be in the middle of a run.'
          : 'The WhatsApp number it sends from.'
      }
      error={props.error}
      select={{ disabled: paused }}
    >
      {senders.map((sender) => (
        <option value={sender.id} selected={sender.id === chosen}>
          {senderOption(sender)}
        </option>
      ))}
    </SelectField>
  );
}

function SkipsQuestion(props: { skips: SkipQuestion }) {
  const { skips } = props;
  return (
    <div class="notice warn field" id={fieldId('acceptSkips')}>
      <p>
        <strong>
          {formatNumber(skips.skipped)} {skips.skipped === 1 ? 'recipient' : 'recipients'} would be
          skipped.
        </strong>
      </p>
      <ul>
        {skips.reasons.map((reason) => (
          <li>{reason}</li>
        ))}
      </ul>
      <label class="checkbox">
        <input type="checkbox" name="acceptSkips" value="yes" />
        Schedule anyway, skipping {formatNumber(skips.skipped)}{' '}
        {skips.skipped === 1 ? 'recipient' : 'recipients'}
      </label>
    </div>
  );
}
