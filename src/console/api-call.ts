import type { Context } from 'hono';
import type { Actor } from '../access/actor';
import type { ConsoleCall } from '../access/authenticate';
import type { FieldError, ProblemDocument } from '../errors';

/** The API app itself, called in-process: `app.request` with the console's actor as its env. */
export type InProcessApi = (request: Request, env: ConsoleCall) => Response | Promise<Response>;

export type ApiAnswer<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; problem: ProblemDocument };

/**
 * A console write goes through the `/v1` API in-process, as the signed-in person: the same
 * validation, permission table (src/access/permissions.ts), audit trail and verbs as any other
 * client, so the console has no rule of its own (docs/decisions.md, 2026-11-29). Its problem
 * document comes back for the page to show beside the fields it names.
 */
export async function callApi<T = unknown>(
  api: InProcessApi,
  c: Context,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const actor: Actor = c.get('actor');
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const response = await api(new Request(new URL(path, 'http://console.internal'), init), {
    consoleActor: actor,
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (response.ok) return { ok: true, status: response.status, data: parsed as T };
  return { ok: false, status: response.status, problem: parsed as ProblemDocument };
}

/** The problem's field errors by field path (`schedule.at`), for the form to show in place. */
export function errorsByField(problem: ProblemDocument | undefined): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of problem?.errors ?? ([] as FieldError[])) {
    byField[error.path] ??= error.message;
  }
  return byField;
}
