// Users through the API (admins only; roles are test/roles.test.ts's): creating them, the
// rules of their fields, the last enabled admin, and the sessions a change ends.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessions, users } from '../src/db/schema';
import { api, type Json } from './helpers/api';
import { testAdmin, useTestService } from './helpers/service';
import { createTestUser, sessionOf, tokenOf } from './helpers/users';

const t = useTestService({ env: { ROLE: 'api' } });

const userCount = async () => (await t.service.ctx.database.db.select().from(users)).length;
const valid = {
  email: 'ann.lee@example.com',
  name: 'Ann Lee',
  role: 'marketer',
  password: 'a long enough password',
};

describe('creating users', () => {
  it('answers the user, its email lower-cased, and keeps a hash of the password only', async () => {
    const created = await api(t).post('/v1/users', { ...valid, email: 'Ann.Lee@Example.COM' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      email: 'ann.lee@example.com',
      name: 'Ann Lee',
      role: 'marketer',
      disabled: false,
      createdAt: expect.any(String),
      lastLoginAt: null,
    });
    expect((await api(t).get(`/v1/users/${created.body.id}`)).body).toEqual(created.body);
    const [row] = await t.service.ctx.database.db
      .select()
      .from(users)
      .where(eq(users.id, String(created.body.id)));
    expect(row?.passwordHash).toMatch(/^scrypt\$/);
    expect(row?.passwordHash).not.toContain(valid.password);
    // and the new user signs in with it
    expect(
      (await sessionOf(t, { email: valid.email, password: valid.password })).cookie,
    ).toBeTruthy();
  });

  it('refuses an email taken, in any case, with a 409 naming the field', async () => {
    const before = await userCount();
    const again = await api(t).post('/v1/users', { ...valid, email: 'ANN.LEE@example.com' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'conflict',
      errors: [{ path: 'email', message: expect.any(String) }],
    });
    expect(await userCount()).toBe(before);
  });

  it('refuses fields out of their bounds with a 422 naming each, and stores nothing', async () => {
    const before = await userCount();
    const cases: [Json, string][] = [
      [{ email: 'not an email' }, 'email'],
      [{ email: `${'a'.repeat(250)}@example.com` }, 'email'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'n'.repeat(201) }, 'name'],
      [{ password: 'elevenchars' }, 'password'],
      [{ password: 'p'.repeat(201) }, 'password'],
      [{ role: 'owner' }, 'role'],
      [{ role: undefined }, 'role'],
    ];
    for (const [change, field] of cases) {
      const response = await api(t).post('/v1/users', {
        ...valid,
        email: `new-${field}@example.com`,
        ...change,
      });
      expect(response.status, JSON.stringify(change)).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      expect((response.body.errors as { path: string }[]).map((e) => e.path)).toContain(field);
    }
    // the bounds themselves are taken
    const edge = await api(t).post('/v1/users', {
      ...valid,
      email: 'edge@example.com',
      name: 'n'.repeat(200),
      password: 'p'.repeat(12),
    });
    expect(edge.status).toBe(201);
    expect(await userCount()).toBe(before + 1);
  });

  it('lists users newest first, a page at a time', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createTestUser(t, 'analyst'));
    const first = await api(t).get('/v1/users?limit=2');
    expect(first.status).toBe(200);
    const firstIds = (first.body.data as Json[]).map((u) => u.id);
    expect(firstIds).toEqual([made[2]?.id, made[1]?.id]);
    const second = await api(t).get(`/v1/users?limit=2&cursor=${first.body.nextCursor}`);
    expect((second.body.data as Json[])[0]?.id).toBe(made[0]?.id);
    expect(JSON.stringify(first.body)).not.toMatch(/password/i);
  });
});

describe('changing users', () => {
  it('renames, changes the role and disables; refuses a field it cannot change', async () => {
    const user = await createTestUser(t, 'analyst');
    const changed = await api(t).patch(`/v1/users/${user.id}`, { name: ' Bea ', role: 'marketer' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: user.id,
      name: 'Bea',
      role: 'marketer',
      disabled: false,
    });
    const email = await api(t).patch(`/v1/users/${user.id}`, { email: 'other@example.com' });
    expect(email.status).toBe(422);
    const short = await api(t).patch(`/v1/users/${user.id}`, { password: 'short' });
    expect(short.status).toBe(422);
    expect((await api(t).get(`/v1/users/${user.id}`)).body).toMatchObject({
      email: user.email,
      name: 'Bea',
    });
  });

  it('ends the sessions of a user disabled, given a role or a password; a new name ends none', async () => {
    const user = await createTestUser(t, 'marketer');
    const me = async (as: { cookie: string }) => (await api(t, as).get('/v1/me')).status;

    const first = await sessionOf(t, user);
    await api(t).patch(`/v1/users/${user.id}`, { name: 'Renamed' });
    expect(await me(first)).toBe(200);
    await api(t).patch(`/v1/users/${user.id}`, { role: 'analyst' });
    expect(await me(first)).toBe(401);

    const second = await sessionOf(t, user);
    const password = 'a brand new password';
    await api(t).patch(`/v1/users/${user.id}`, { password });
    expect(await me(second)).toBe(401);
    await expect(sessionOf(t, user)).rejects.toThrow(/email or the password is wrong/);

    const third = await sessionOf(t, { email: user.email, password });
    const token = await tokenOf(t, user.id);
    await api(t).patch(`/v1/users/${user.id}`, { disabled: true });
    expect(await me(third)).toBe(401);
    expect((await api(t, token).get('/v1/me')).status).toBe(401);
    await expect(sessionOf(t, { email: user.email, password })).rejects.toThrow(/wrong/);
    const left = await t.service.ctx.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, user.id));
    expect(left).toEqual([]);

    // enabled again, the user signs in again and their tokens work again
    await api(t).patch(`/v1/users/${user.id}`, { disabled: false });
    expect((await api(t, token).get('/v1/me')).status).toBe(200);
    expect(await me(await sessionOf(t, { email: user.email, password }))).toBe(200);
  });

  it('deletes a user with their sessions and tokens; a second delete is a 404', async () => {
    const user = await createTestUser(t, 'marketer');
    const session = await sessionOf(t, user);
    const token = await tokenOf(t, user.id);
    expect((await api(t).delete(`/v1/users/${user.id}`)).status).toBe(204);
    expect((await api(t, session).get('/v1/me')).status).toBe(401);
    expect((await api(t, token).get('/v1/me')).status).toBe(401);
    expect((await api(t).get(`/v1/users/${user.id}`)).status).toBe(404);
    const again = await api(t).delete(`/v1/users/${user.id}`);
    expect(again.body).toMatchObject({ status: 404, detail: `User ${user.id} does not exist` });
  });
});

describe('GET /v1/me', () => {
  it('names the machine token, a personal token and a session, with their user', async () => {
    expect((await api(t).get('/v1/me')).body).toEqual({ kind: 'machine', role: 'admin' });
    const user = await createTestUser(t, 'analyst');
    const expected = {
      id: user.id,
      email: user.email,
      name: user.name,
      role: 'analyst',
      disabled: false,
    };
    const byToken = await api(t, await tokenOf(t, user.id)).get('/v1/me');
    expect(byToken.body).toMatchObject({ kind: 'token', role: 'analyst', user: expected });
    const bySession = await api(t, await sessionOf(t, user)).get('/v1/me');
    expect(bySession.body).toMatchObject({ kind: 'user', role: 'analyst', user: expected });
  });
});

describe('the last enabled admin', () => {
  // A service of its own: the first admin is its only admin.
  const s = useTestService({ env: { ROLE: 'api' } });
  const adminId = async () => {
    const page = await api(s).get('/v1/users');
    const admin = (page.body.data as Json[]).find((u) => u.email === testAdmin.email);
    return String(admin?.id);
  };

  it('cannot be demoted, disabled or deleted, and the 409 says why', async () => {
    const id = await adminId();
    for (const [method, body] of [
      ['PATCH', { role: 'marketer' }],
      ['PATCH', { disabled: true }],
      ['DELETE', undefined],
    ] as const) {
      const response =
        method === 'PATCH'
          ? await api(s).patch(`/v1/users/${id}`, body)
          : await api(s).delete(`/v1/users/${id}`);
      expect(response.status, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(response.body.code).toBe('conflict');
      expect(response.body.detail).toMatch(/last enabled admin/);
    }
    expect((await api(s).get(`/v1/users/${id}`)).body).toMatchObject({
      role: 'admin',
      disabled: false,
    });
    // a disabled admin does not count as the one left
    const disabled = await createTestUser(s, 'admin');
    await api(s).patch(`/v1/users/${disabled.id}`, { disabled: true });
    expect((await api(s).patch(`/v1/users/${id}`, { role: 'analyst' })).status).toBe(409);
    // renaming and a new password are fine
    expect((await api(s).patch(`/v1/users/${id}`, { name: 'Boss' })).status).toBe(200);
  });

  it('can step down once another admin is enabled; of two demoting each other at once, one wins', async () => {
    const first = await adminId();
    const second = await createTestUser(s, 'admin');
    const results = await Promise.all([
      api(s).patch(`/v1/users/${first}`, { role: 'marketer' }),
      api(s).patch(`/v1/users/${second.id}`, { role: 'marketer' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const admins = (await api(s).get('/v1/users')).body.data as Json[];
    expect(admins.filter((u) => u.role === 'admin' && !u.disabled)).toHaveLength(1);
  });
});
