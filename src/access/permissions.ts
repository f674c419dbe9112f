import { AppError } from '../errors';
import type { Actor, Role } from './actor';

/**
 * What an entry point needs (docs/design.md, rule 27). The one table of who may do what: the
 * API's middleware and the console's pages both ask `can()`, so a role holds the same on both.
 * - read: see audiences, templates, campaigns, conversations, analytics; export.
 * - write: change audiences, templates and campaigns; start, pause, resume, cancel, retry; send.
 * - admin: users, the audit trail, settings (the business profile), opting a phone back in,
 *   and changing the sending numbers (every role reads them: a campaign names one).
 * - self: one's own API tokens and `/v1/me`.
 */
export type Permission = 'read' | 'write' | 'admin' | 'self';

const granted: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'admin', 'self'],
  marketer: ['read', 'write', 'self'],
  analyst: ['read', 'self'],
};

export function can(actor: Actor, permission: Permission): boolean {
  return granted[actor.role].includes(permission);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) {
    throw new AppError(
      'forbidden',
      `The ${actor.role} role may not do this: it needs the "${permission}" permission.`,
    );
  }
}

const adminOnly: readonly [method: string | '*', pattern: RegExp][] = [
  ['*', /^\/v1\/users(\/|$)/],
  ['*', /^\/v1\/audit(\/|$)/],
  ['DELETE', /^\/v1\/opt-outs\/[^/]+$/],
  ['PATCH', /^\/v1\/profile$/],
  ['PUT', /^\/v1\/profile$/],
  ['POST', /^\/v1\/senders$/],
  ['PATCH', /^\/v1\/senders\/[^/]+$/],
  ['DELETE', /^\/v1\/senders\/[^/]+$/],
];
const ownOnly = /^\/v1\/(me|tokens)(\/|$)/;
/** POSTs that change nothing (their input is too large for a query string): reads. */
const readsByPost: readonly RegExp[] = [/^\/v1\/templates\/preview$/];

/** The permission a `/v1` request needs, by its method and path. */
export function apiPermission(method: string, path: string): Permission {
  const upper = method.toUpperCase();
  if (adminOnly.some(([m, pattern]) => (m === '*' || m === upper) && pattern.test(path))) {
    return 'admin';
  }
  if (ownOnly.test(path)) return 'self';
  if (upper === 'POST' && readsByPost.some((pattern) => pattern.test(path))) return 'read';
  return upper === 'GET' || upper === 'HEAD' ? 'read' : 'write';
}
