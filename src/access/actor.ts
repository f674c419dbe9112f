import type { Context } from 'hono';
import type { userRole } from '../db/schema';
import { AppError } from '../errors';

export type Role = (typeof userRole.enumValues)[number];
export const roles: readonly Role[] = ['admin', 'marketer', 'analyst'];

/** A signed-in person, as the console and the API's answers show them. */
export type ActingUser = { id: string; email: string; name: string; role: Role };

/**
 * Whoever makes a request: the machine token (API_TOKEN, full access), a personal API token
 * (its user's role) or a console session (its user's role, and the CSRF token its forms carry).
 */
export type Actor =
  | { kind: 'machine'; role: 'admin' }
  | { kind: 'token'; role: Role; user: ActingUser; tokenId: string }
  | {
      kind: 'user';
      role: Role;
      user: ActingUser;
      session: { tokenHash: string; csrfToken: string };
    };

declare module 'hono' {
  interface ContextVariableMap {
    actor: Actor;
  }
}

/** The request's actor, set by `authenticate` (API) or the console's session guard (pages). */
export function actorOf(c: Context): Actor {
  const actor = c.get('actor');
  if (!actor) throw new AppError('unauthorized', 'Sign in or send a bearer token.');
  return actor;
}

/** The user behind an actor; the machine token has none. */
export function userOf(actor: Actor): ActingUser | undefined {
  return actor.kind === 'machine' ? undefined : actor.user;
}
