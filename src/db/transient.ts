/**
 * Lost connections, deadlocks and serialisation failures: errors after which the same statement
 * may succeed later. SQLSTATE classes 08, 40, 53, 57; postgres.js's CONNECT_TIMEOUT,
 * CONNECTION_CLOSED…; socket errors (ECONNREFUSED…); node-postgres (pg-boss's driver) says
 * "Connection terminated…" without a code.
 */
export function isTransient(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string')
    return /^(08|40|53|57)/.test(code) || /^(CONNECT|E[A-Z]+$)/.test(code);
  return typeof message === 'string' && /^Connection terminated/.test(message);
}
