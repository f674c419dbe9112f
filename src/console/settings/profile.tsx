import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { VERTICALS } from '../../profile/schemas';
import { Page } from '../layout';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  InputField,
  SelectField,
  TextareaField,
} from '../ui/form';
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
          <TextareaField
            name="description"
            label="Description"
            hint="At most 256 characters."
            error={errors.description}
            value={value('description')}
            textarea={{ maxlength: 256 }}
          />
          <InputField
            name="address"
            label="Address"
            error={errors.address}
            input={{ maxlength: 256, value: value('address') }}
          />
          <InputField
            name="email"
            label="Email"
            error={errors.email}
            input={{ type: 'email', maxlength: 254, value: value('email') }}
          />
          <SelectField name="vertical" label="Industry" error={errors.vertical}>
            {VERTICALS.map((vertical) => (
              <option value={vertical} selected={value('vertical') === vertical}>
                {vertical === '' ? 'None' : vertical}
              </option>
            ))}
          </SelectField>
          <button type="submit" class="button primary">
            Save profile
          </button>
        </form>
      ) : null}
    </Page>
  );
}
