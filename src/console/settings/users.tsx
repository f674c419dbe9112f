import type { Context } from 'hono';
import { actorOf, type Role, roles } from '../../access/actor';
import { EmptyState, Page } from '../layout';
import { CsrfField, ErrorSummary, type FieldErrors, fieldId, InputField } from '../ui/form';
import { viewerZone } from '../ui/format';
import { StateBadge } from '../ui/state';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { SettingsNav } from './settings-nav';

/** A user as `GET /v1/users` answers. */
export type UserView = {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
};

const roleWords: Record<Role, string> = {
  admin: 'Admin: everything, including users and settings',
  marketer: 'Marketer: audiences, templates, campaigns and conversations; reads analytics',
  analyst: 'Analyst: reads everything and exports; changes nothing',
};

export function UsersPage(props: { c: Context; users: UserView[]; notice?: string }) {
  const zone = viewerZone(props.c);
  return (
    <Page
      actor={actorOf(props.c)}
      area="settings"
      title="Users"
      primary={
        <a class="button primary" href="/settings/users/new">
          Add a user
        </a>
      }
    >
      <SettingsNav current="/settings/users" />
      {props.notice ? <p class="notice ok">{props.notice}</p> : null}
      {props.users.length === 0 ? (
        <EmptyState title="No users yet">Add the people of your team, each with a role.</EmptyState>
      ) : (
        <DataTable caption="Users" columns={['Name', 'Email', 'Role', 'State', 'Last sign-in']}>
          {props.users.map((user) => (
            <tr>
              <td>
                <a class="row-link" href={`/settings/users/${user.id}`}>
                  {user.name}
                </a>
              </td>
              <td>{user.email}</td>
              <td>{user.role}</td>
              <td>
                <StateBadge
                  state={user.disabled ? 'disabled' : 'active'}
                  label={user.disabled ? 'Disabled' : 'Active'}
                />
              </td>
              <td>{user.lastLoginAt ? <Time at={user.lastLoginAt} zone={zone} /> : 'Never'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Page>
  );
}

function RoleChoice(props: { value?: Role; error?: string }) {
  return (
    <fieldset class={props.error ? 'field field-error' : 'field'} id={fieldId('role')}>
      <legend>Role</legend>
      {props.error ? <p class="error-message">{props.error}</p> : null}
      <div class="choices">
        {roles.map((role) => (
          <label>
            <input type="radio" name="role" value={role} checked={props.value === role} required />
            {roleWords[role]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A new password's field: for a new user and for a reset, with the API's bounds. */
function NewPassword(props: { label: string; hint: string; error?: string }) {
  return (
    <InputField
      name="password"
      label={props.label}
      hint={props.hint}
      error={props.error}
      input={{
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        minlength: 12,
        maxlength: 200,
      }}
    />
  );
}

export function NewUserPage(props: {
  c: Context;
  values: Record<string, string>;
  errors: FieldErrors;
  message?: string;
}) {
  const { values, errors } = props;
  return (
    <Page actor={actorOf(props.c)} area="settings" title="Add a user">
      <SettingsNav current="/settings/users" />
      <ErrorSummary errors={errors} message={props.message} />
      <form method="post" action="/settings/users/new" class="stack">
        <CsrfField actor={actorOf(props.c)} />
        <InputField
          name="name"
          label="Name"
          error={errors.name}
          input={{ required: true, maxlength: 200, value: values.name ?? '' }}
        />
        <InputField
          name="email"
          label="Email"
          error={errors.email}
          input={{ type: 'email', required: true, maxlength: 254, value: values.email ?? '' }}
        />
        <RoleChoice value={(values.role as Role) || 'marketer'} error={errors.role} />
        <NewPassword
          label="Password"
          hint="At least 12 characters. Give it to the person in a safe way; they can keep it."
          error={errors.password}
        />
        <button type="submit" class="button primary">
          Add user
        </button>
      </form>
    </Page>
  );
}

export function EditUserPage(props: {
  c: Context;
  user: UserView;
  errors: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const { user, errors } = props;
  const actor = actorOf(props.c);
  return (
    <Page
      actor={actor}
      area="settings"
      title={user.name}
      subtitle={<a href="/settings/users">All users</a>}
    >
      <SettingsNav current="/settings/users" />
      {props.notice ? <p class="notice ok">{props.notice}</p> : null}
      <ErrorSummary errors={errors} message={props.message} />
      <form method="post" action={`/settings/users/${user.id}`} class="stack">
        <CsrfField actor={actor} />
        <InputField
          name="name"
          label="Name"
          error={errors.name}
          input={{ required: true, maxlength: 200, value: user.name }}
        />
        <p>
          <strong>Email:</strong> {user.email}
        </p>
        <RoleChoice value={user.role} error={errors.role} />
        <div class="field">
          <label>
            <input type="checkbox" name="disabled" value="true" checked={user.disabled} /> Disable
            this account (they are signed out at once, and their API tokens stop working)
          </label>
        </div>
        <button type="submit" class="button primary">
          Save changes
        </button>
      </form>
      <h2>Reset the password</h2>
      <form method="post" action={`/settings/users/${user.id}/password`} class="stack">
        <CsrfField actor={actor} />
        <NewPassword
          label="New password"
          hint="At least 12 characters. They are signed out everywhere."
          error={errors.password}
        />
        <button type="submit" class="button">
          Reset password
        </button>
      </form>
    </Page>
  );
}
