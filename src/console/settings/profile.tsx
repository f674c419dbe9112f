import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { VERTICALS } from '../../profile/schemas';
import { Page } from '../layout';
import { CsrfField, describedBy, ErrorSummary, Field, type FieldErrors, fieldId } from '../ui/form';
import { SettingsNav } from './settings-nav';

/** The provider's business profile (`/me`), read and edited through the API. */
export function ProfilePage(props: {
  c: Context;
  profile: Record<string, unknown> | undefined;
  errors: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const value = (name: string) => {
    const found = props.profile?.[name];
    return typeof found === 'string' ? found : '';
  };
  const { errors } = props;
  return (
    <Page actor={actorOf(props.c)} area="settings" title="Business profile">
      <SettingsNav current="/settings/profile" />
      <p class="muted">What WhatsApp users see about your business, as your provider holds it.</p>
      {props.notice ? <p class="notice ok">{props.notice}</p> : null}
      <ErrorSummary errors={errors} message={props.message} />
      {props.profile ? (
        <form method="post" action="/settings/profile" class="stack">
          <CsrfField actor={actorOf(props.c)} />
          <Field
            name="description"
            label="Description"
            hint="At most 256 characters."
            error={errors.description}
          >
            <textarea
              id={fieldId('description')}
              name="description"
              maxlength={256}
              aria-describedby={describedBy('description', true, errors.description)}
            >
              {value('description')}
            </textarea>
          </Field>
          <Field name="address" label="Address" error={errors.address}>
            <input
              id={fieldId('address')}
              name="address"
              type="text"
              maxlength={256}
              value={value('address')}
            />
          </Field>
          <Field name="email" label="Email" error={errors.email}>
            <input
              id={fieldId('email')}
              name="email"
              type="email"
              maxlength={254}
              value={value('email')}
            />
          </Field>
          <Field name="vertical" label="Industry" error={errors.vertical}>
            <select id={fieldId('vertical')} name="vertical">
              {VERTICALS.map((vertical) => (
                <option value={vertical} selected={value('vertical') === vertical}>
                  {vertical === '' ? 'None' : vertical}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" class="button primary">
            Save profile
          </button>
        </form>
      ) : null}
    </Page>
  );
}
