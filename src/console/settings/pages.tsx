import { type Context, Hono } from 'hono';
import { actorOf } from '../../access/actor';
import { requirePermission } from '../../access/permissions';
import { callApi, errorsByField } from '../api-call';
import type { ConsoleDeps } from '../deps';
import { readForm } from '../ui/form-data';
import { AuditPage, type AuditView } from './audit';
import { SettingsOverview } from './overview';
import { ProfilePage } from './profile';
import { EditUserPage, NewUserPage, UsersPage, type UserView } from './users';

const notices: Record<string, string> = {
  created: 'The user was added. They can sign in now.',
  saved: 'Saved.',
  password: 'The password was reset; they were signed out everywhere.',
};

/**
 * The one part of Settings every role opens: the senders, which a campaign names (src/console/
 * senders/ checks the admins' writes itself, and the API checks them again).
 */
const readByEveryRole = (path: string) =>
  path === '/settings/senders' || path.startsWith('/settings/senders/');

/** Settings, for admins only (docs/design.md, rule 27): users, audit trail, profile, service; the senders, read by all. */
export function settingsPages(deps: ConsoleDeps) {
  const userPage = async (
    c: Context,
    id: string,
    extra: { errors?: Record<string, string>; message?: string; notice?: string } = {},
  ) => {
    const answer = await callApi<UserView>(
      deps.api,
      c,
      'GET',
      `/v1/users/${encodeURIComponent(id)}`,
    );
    if (!answer.ok)
      return c.html(<UsersPage c={c} users={[]} notice={answer.problem.detail} />, 404);
    return c.html(
      <EditUserPage
        c={c}
        user={answer.data}
        errors={extra.errors ?? {}}
        message={extra.message}
        notice={extra.notice}
      />,
    );
  };
  return new Hono()
    .use('/settings', async (c, next) => {
      requirePermission(actorOf(c), 'admin');
      await next();
    })
    .use('/settings/*', async (c, next) => {
      if (!readByEveryRole(c.req.path)) requirePermission(actorOf(c), 'admin');
      await next();
    })
    .get('/settings', (c) =>
      c.html(
        <SettingsOverview
          c={c}
          config={deps.ctx.config}
          webhookSecret={deps.ctx.secrets.webhookSecret}
        />,
      ),
    )
    .get('/settings/users', async (c) => {
      const answer = await callApi<{ data: UserView[] }>(deps.api, c, 'GET', '/v1/users?limit=200');
      const users = answer.ok ? answer.data.data : [];
      return c.html(<UsersPage c={c} users={users} notice={notices[c.req.query('done') ?? '']} />);
    })
    .get('/settings/users/new', (c) => c.html(<NewUserPage c={c} values={{}} errors={{}} />))
    .post('/settings/users/new', async (c) => {
      const form = await readForm(c);
      const values = {
        name: form.text('name').trim(),
        email: form.text('email').trim(),
        role: form.text('role').trim(),
      };
      const answer = await callApi<UserView>(deps.api, c, 'POST', '/v1/users', {
        ...values,
        password: form.text('password'),
      });
      if (!answer.ok) {
        return c.html(
          <NewUserPage
            c={c}
            values={values}
            errors={errorsByField(answer.problem)}
            message={answer.problem.detail}
          />,
        );
      }
      return c.redirect('/settings/users?done=created', 303);
    })
    .get('/settings/users/:userId', (c) =>
      userPage(c, c.req.param('userId'), { notice: notices[c.req.query('done') ?? ''] }),
    )
    .post('/settings/users/:userId', async (c) => {
      const id = c.req.param('userId');
      const form = await readForm(c);
      const answer = await callApi(deps.api, c, 'PATCH', `/v1/users/${encodeURIComponent(id)}`, {
        name: form.text('name').trim(),
        role: form.text('role').trim(),
        disabled: form.text('disabled').trim() === 'true',
      });
      if (!answer.ok)
        return userPage(c, id, {
          errors: errorsByField(answer.problem),
          message: answer.problem.detail,
        });
      return c.redirect(`/settings/users/${id}?done=saved`, 303);
    })
    .post('/settings/users/:userId/password', async (c) => {
      const id = c.req.param('userId');
      const form = await readForm(c);
      const answer = await callApi(deps.api, c, 'PATCH', `/v1/users/${encodeURIComponent(id)}`, {
        password: form.text('password'),
      });
      if (!answer.ok)
        return userPage(c, id, {
          errors: errorsByField(answer.problem),
          message: answer.problem.detail,
        });
      return c.redirect(`/settings/users/${id}?done=password`, 303);
    })
    .get('/settings/audit', async (c) => {
      const filters = {
        action: c.req.query('action') || undefined,
        from: c.req.query('from') || undefined,
        to: c.req.query('to') || undefined,
      };
      const query = new URLSearchParams({ limit: '50' });
      if (filters.action) query.set('action', filters.action);
      if (filters.from) query.set('from', new Date(`${filters.from}T00:00:00Z`).toISOString());
      if (filters.to) query.set('to', new Date(`${filters.to}T23:59:59.999Z`).toISOString());
      const cursor = c.req.query('cursor');
      if (cursor) query.set('cursor', cursor);
      const answer = await callApi<{ data: AuditView[]; nextCursor: string | null }>(
        deps.api,
        c,
        'GET',
        `/v1/audit?${query}`,
      );
      return c.html(
        <AuditPage
          c={c}
          events={answer.ok ? answer.data.data : []}
          nextCursor={answer.ok ? answer.data.nextCursor : null}
          filters={filters}
          error={answer.ok ? undefined : answer.problem.detail}
        />,
      );
    })
    .get('/settings/profile', async (c) => {
      const answer = await callApi<Record<string, unknown>>(deps.api, c, 'GET', '/v1/profile');
      return c.html(
        <ProfilePage
          c={c}
          profile={answer.ok ? answer.data : undefined}
          errors={{}}
          message={answer.ok ? undefined : `The provider did not answer: ${answer.problem.detail}`}
          notice={c.req.query('done') ? 'The profile was saved at the provider.' : undefined}
        />,
      );
    })
    .post('/settings/profile', async (c) => {
      const form = await readForm(c);
      const update = {
        description: form.text('description').trim(),
        address: form.text('address').trim(),
        email: form.text('email').trim(),
        vertical: form.text('vertical').trim(),
      };
      const answer = await callApi(deps.api, c, 'PATCH', '/v1/profile', update);
      if (!answer.ok) {
        return c.html(
          <ProfilePage
            c={c}
            profile={update}
            errors={errorsByField(answer.problem)}
            message={answer.problem.detail}
          />,
        );
      }
      return c.redirect('/settings/profile?done=saved', 303);
    });
}
