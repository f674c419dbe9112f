import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { Import } from '../../src/contacts/import/schemas';
import { type TestService, waitFor } from './service';

export const fixture = (name: string) =>
  readFile(new URL(`../fixtures/csv/${name}`, import.meta.url));

export async function createList(t: TestService, name = 'Customers'): Promise<string> {
  const response = await t.request('/v1/lists', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Uploads a CSV body and answers the import's response (202 expected by the caller). */
export function upload(
  t: TestService,
  listId: string,
  body: RequestInit['body'],
  query = '',
  contentType = 'text/csv',
): Promise<Response> {
  return t.request(`/v1/lists/${listId}/imports${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

/** Uploads a file and waits for its import to end. */
export async function importCsv(
  t: TestService,
  listId: string,
  body: RequestInit['body'],
  query = '',
): Promise<Import> {
  const response = await upload(t, listId, body, query);
  expect(response.status, await response.clone().text()).toBe(202);
  const accepted = (await response.json()) as Import;
  return waitForImport(t, accepted.id);
}

export function waitForImport(t: TestService, id: string): Promise<Import> {
  return waitFor(
    async () => {
      const current = (await (await t.request(`/v1/imports/${id}`)).json()) as Import;
      return current.status === 'completed' || current.status === 'failed' ? current : undefined;
    },
    { what: `import ${id} to end`, timeoutMs: 20_000 },
  );
}

export async function contactsOf(t: TestService, listId: string) {
  const response = await t.request(`/v1/lists/${listId}/contacts?limit=1000`);
  expect(response.status).toBe(200);
  const page = (await response.json()) as {
    data: { id: string; phone: string; attributes: Record<string, string>; optedOut: boolean }[];
  };
  return page.data;
}
