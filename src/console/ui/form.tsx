import type { Child, JSX } from 'hono/jsx';
import type { Actor } from '../../access/actor';

/**
 * Form parts in the GOV.UK manner (docs/console.md: forms): the label above the field, a hint
 * under the label, the error in words beside the field and in a summary at the top that links
 * to each field. `errors` maps field names (the API's `errors[].path`) to messages.
 */
export type FieldErrors = Record<string, string>;

/** The field's element id for a name like `schedule.at`. */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

export function ErrorSummary(props: { errors: FieldErrors; message?: string }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0 && !props.message) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} data-autofocus>
      <h2>There is a problem</h2>
      {props.message ? <p>{props.message}</p> : null}
      {entries.length > 0 ? (
        <ul>
          {entries.map(([name, message]) => (
            <li>
              <a href={`#${fieldId(name)}`}>{message}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The summary's lines, each named by its field's label (`listIds.0` by `listIds`'), for
 * ErrorSummary; a path without a label keeps its name.
 */
export function labelledErrors(errors: FieldErrors, labels: Record<string, string>): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).map(([path, message]) => {
      const field = labels[path] ?? labels[path.split('.')[0] ?? ''] ?? path;
      return [path, `${field}: ${message}`];
    }),
  );
}

/** A labelled field: pass the control as the child, with `id={fieldId(name)}`. */
export function Field(props: {
  name: string;
  label: string;
  hint?: Child;
  error?: string;
  children: Child;
}) {
  const id = fieldId(props.name);
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {props.error}
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

/** `aria-describedby` for a control inside a Field with this hint and error. */
export const describedBy = (name: string, hint: boolean, error?: string) =>
  [hint ? `${fieldId(name)}-hint` : '', error ? `${fieldId(name)}-error` : '']
    .filter(Boolean)
    .join(' ') || undefined;

/** The attributes a field's control takes from the field: its id, name and descriptions. */
type Wired = 'id' | 'name' | 'aria-describedby';
const wiring = (name: string, hint: Child | undefined, error: string | undefined) => ({
  id: fieldId(name),
  name,
  'aria-describedby': describedBy(name, Boolean(hint), error),
});

type FieldProps = { name: string; label: string; hint?: Child; error?: string };

/**
 * Fields with their control: the control's id, name and `aria-describedby` follow from the
 * field's name, hint and error, so that they cannot disagree; the control's own attributes
 * (type, value, bounds, autocomplete) are passed on. An input is a text input by default.
 */
export function InputField(
  props: FieldProps & { input: Omit<JSX.IntrinsicElements['input'], Wired> },
) {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} error={props.error}>
      <input type="text" {...props.input} {...wiring(props.name, props.hint, props.error)} />
    </Field>
  );
}

/** A Field whose control is a `<textarea>` holding `value` (see InputField). */
export function TextareaField(
  props: FieldProps & {
    value: string;
    textarea: Omit<JSX.IntrinsicElements['textarea'], Wired>;
  },
) {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} error={props.error}>
      <textarea {...props.textarea} {...wiring(props.name, props.hint, props.error)}>
        {props.value}
      </textarea>
    </Field>
  );
}

/** A Field whose control is a `<select>` of the `<option>`s given as children (see InputField). */
export function SelectField(
  props: FieldProps & {
    select?: Omit<JSX.IntrinsicElements['select'], Wired>;
    children: Child;
  },
) {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} error={props.error}>
      <select {...props.select} {...wiring(props.name, props.hint, props.error)}>
        {props.children}
      </select>
    </Field>
  );
}

/**
 * Radio buttons, each with a line of hint under its label: one choice of several (when to send, a
 * frequency cap). `marker` is a data attribute the page's script finds them by.
 */
export function RadioChoices<Value extends string>(props: {
  name: string;
  choices: { value: Value; label: string; hint: string }[];
  checked: Value;
  marker?: string;
}) {
  return (
    <div class="choices">
      {props.choices.map(({ value, label, hint }) => (
        <label>
          <input
            type="radio"
            name={props.name}
            value={value}
            checked={props.checked === value}
            {...(props.marker ? { [props.marker]: true } : {})}
          />
          <span>
            {label}
            <span class="choice-hint">{hint}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

/** The session's CSRF token, in every state-changing form (docs/design.md, rule 28). */
export function CsrfField(props: { actor: Actor }) {
  const token = props.actor.kind === 'user' ? props.actor.session.csrfToken : '';
  return <input type="hidden" name="_csrf" value={token} />;
}

/** A one-button form: an action that changes state (pause, sign out, revoke). */
export function ActionButton(props: {
  actor: Actor;
  action: string;
  label: string;
  variant?: 'primary' | 'secondary' | 'danger';
  hidden?: Record<string, string>;
}) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField actor={props.actor} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={`button ${props.variant ?? 'secondary'}`}>
        {props.label}
      </button>
    </form>
  );
}
