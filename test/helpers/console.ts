import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Role } from '../../src/access/actor';
import { users } from '../../src/db/schema';
import { hashPassword } from '../../src/users/passwords';
import { accessibilityProblems, launchBrowser, newWatchedContext, signInAs } from './browser';
import { type TestService, type TestServiceOptions, useTestService } from './service';

/** The first admin of every console test service (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const consoleAdmin = { email: 'admin@example.com', password: 'console-admin-password' };

export type ConsoleFixture = TestService & {
  browser(): Browser;
  /** A new browser context (1,440 px unless `width`), signed in as `who` when given. */
  open(options?: {
    who?: { email: string; password: string };
    width?: number;
  }): Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  /** A user with this role and a known password, made directly in the database. */
  createUser(role: Role, name?: string): Promise<{ id: string; email: string; password: string }>;
};

/**
 * A console test file's service (fake provider, known first admin) and one Chromium for all
 * its tests. Contexts opened with `open()` close after each test, which fails when the browser
 * logged an error or a page error on the way (docs/console.md: no console errors).
 */
export function useConsole(options: TestServiceOptions = {}): ConsoleFixture {
  const service = useTestService({
    ...options,
    env: { ADMIN_EMAIL: consoleAdmin.email, ADMIN_PASSWORD: consoleAdmin.password, ...options.env },
  });
  let browser: Browser | undefined;
  const opened: { context: BrowserContext; problems: string[] }[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async () => {
    const problems = opened.flatMap((entry) => entry.problems);
    for (const entry of opened.splice(0)) await entry.context.close();
    expect(problems, 'errors in the browser console').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  let counter = 0;
  return Object.assign(service, {
    browser() {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    async open(opts: { who?: { email: string; password: string }; width?: number } = {}) {
      if (!browser) throw new Error('the browser starts in beforeAll');
      const watched = await newWatchedContext(browser, {
        baseURL: service.baseUrl,
        width: opts.width,
      });
      opened.push(watched);
      if (opts.who) await signInAs(watched.page, opts.who.email, opts.who.password);
      return watched;
    },
    async createUser(role: Role, name?: string) {
      counter += 1;
      const email = `${role}${counter}-${Date.now()}@example.com`;
      const password = `${role}-password-${counter}`;
      const [row] = await service.service.ctx.database.db
        .insert(users)
        .values({
          email,
          name: name ?? `${role[0]?.toUpperCase()}${role.slice(1)} ${counter}`,
          role,
          passwordHash: await hashPassword(password),
        })
        .returning({ id: users.id });
      if (!row) throw new Error('no user inserted');
      return { id: row.id, email, password };
    },
  }) as ConsoleFixture;
}

/** Fails the test with axe-core's serious and critical violations on the page, if any. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityProblems(page), `axe-core on ${page.url()}`).toEqual([]);
}
