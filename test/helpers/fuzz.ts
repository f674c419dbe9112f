import fc from 'fast-check';
import { expect } from 'vitest';
import type { TestService } from './service';

/** Tables whose rows a rejected request must leave exactly as they were. */
const STORED = [
  'lists',
  'contacts',
  'list_members',
  'templates',
  'campaigns',
  'runs',
  'messages',
  'opt_outs',
  'conversations',
];

/** One digest of every stored row: equal digests, nothing changed. */
export async function storedDigest(t: TestService): Promise<string> {
  const { sql } = t.service.ctx.database;
  const parts = await Promise.all(
    STORED.map(async (table) => {
      const [row] = await sql<{ digest: string | null }[]>`
        select md5(string_agg(x::text, '|' order by x::text)) as digest from ${sql(table)} x`;
      return `${table}:${row?.digest ?? '-'}`;
    }),
  );
  return parts.join(' ');
}

/**
 * The answer to any input: never a 5xx; a 4xx is a problem document naming its status. Answers
 * the status.
 */
export async function expectNoServerError(response: Response, what: string): Promise<number> {
  const text = await response.text();
  expect(response.status, `${what} → ${response.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type'), what).toContain('application/problem+json');
    const problem = JSON.parse(text) as { status?: unknown; title?: unknown };
    expect(problem.status, what).toBe(response.status);
    expect(typeof problem.title, what).toBe('string');
  }
  return response.status;
}

/** Sends a body; when it is refused, checks that nothing stored changed. */
export async function sendAndCheck(
  t: TestService,
  path: string,
  init: RequestInit & { auth?: boolean },
): Promise<number> {
  const before = await storedDigest(t);
  const response = await t.request(path, init);
  const what = `${init.method ?? 'GET'} ${path} ${String(init.body).slice(0, 200)}`;
  const status = await expectNoServerError(response, what);
  if (status >= 400) expect(await storedDigest(t), `${what} changed stored rows`).toBe(before);
  return status;
}

/** Any JSON value, weighted toward the shapes a handler may trip on. */
export const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(null, [], {}, '', 0, -1, 1e308, true, '\u0000', 'x'.repeat(5000)),
);

/** An object with the expected keys, each holding a value of any type. */
export function looseObject(keys: string[], good: Record<string, fc.Arbitrary<unknown>> = {}) {
  const entries = Object.fromEntries(
    keys.map((key) => [key, good[key] ? fc.oneof(good[key], anyJson) : anyJson]),
  );
  return fc.record(entries, { requiredKeys: [] });
}

/** A body as it may arrive: JSON of a value, or text that is not JSON at all. */
export function rawBody(value: fc.Arbitrary<unknown>) {
  return fc.oneof(
    { weight: 4, arbitrary: value.map((v) => JSON.stringify(v) ?? 'undefined') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );
}

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 40);
