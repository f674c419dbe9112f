import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../../src/access/actor';
import { sessionCookie } from '../../src/access/authenticate';
import { createToken } from '../../src/users/create-token';
import { signIn } from '../../src/users/sign-in';
import { api, type Credentials } from './api';
import type { TestService } from './service';

export type TestUser = { id: string; email: string; name: string; role: Role; password: string };

/** A new user with `role`, created by the machine token through the API. */
export async function createTestUser(
  t: TestService,
  role: Role,
  values: Partial<Pick<TestUser, 'email' | 'name' | 'password'>> = {},
): Promise<TestUser> {
  const body = {
    email: values.email ?? `${role}-${randomUUID().slice(0, 8)}@example.com`,
    name: values.name ?? `A ${role}`,
    role,
    password: values.password ?? `password-of-${randomUUID()}`,
  };
  const created = await api(t).post('/v1/users', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { ...body, id: String(created.body.id), email: body.email.toLowerCase() };
}

/** A personal token of the user, made by the verb the API calls (shown once, as there). */
export async function tokenOf(t: TestService, userId: string, name = 'test'): Promise<Credentials> {
  const created = await createToken(t.service.ctx, userId, name);
  return { token: created.token };
}

/** A console session of the user: its cookie and its CSRF token, from the sign-in verb. */
export async function sessionOf(
  t: TestService,
  user: Pick<TestUser, 'email' | 'password'>,
): Promise<{ cookie: string; csrfToken: string }> {
  const session = await signIn(t.service.ctx, {
    email: user.email,
    password: user.password,
    address: '127.0.0.1',
  });
  return { cookie: `${sessionCookie}=${session.token}`, csrfToken: session.csrfToken };
}

/** A user of `role` and a personal token of theirs: what most access tests need. */
export async function userWithToken(
  t: TestService,
  role: Role,
): Promise<TestUser & { as: Credentials }> {
  const user = await createTestUser(t, role);
  return { ...user, as: await tokenOf(t, user.id) };
}
