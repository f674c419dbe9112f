import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import type { Role } from '../../src/access/actor';
import { accessibilityProblems, launchBrowser, newWatchedContext, signInAs } from './browser';
import { type TestService, type TestServiceOptions, testAdmin, useTestService } from './service';
import { createTestUser } from './users';

/** The first admin of every test service (ADMIN_EMAIL / ADMIN_PASSWORD). */
export const consoleAdmin = testAdmin;

export type ConsoleFixture = TestService & {
  browser(): Browser;
  /** A new browser context (1,440 px unless `width`), signed in as `who` when given. */
  open(options?: {
    who?: { email: string; password: string };
    width?: number;
  }): Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  /** A user with this role and a known password, made through the API. */
  createUser(role: Role, name?: string): Promise<{ id: string; email: string; password: string }>;
};

/**
 * A console test file's service (fake provider, known first admin) and one Chromium for all
 * its tests. Contexts opened with `open()` close after each test, which fails when the browser
 * logged an error or a page error on the way (docs/console.md: no console errors).
 */
export function useConsole(options: TestServiceOptions = {}): ConsoleFixture {
  // A journey clicks through several pages of a real browser: seconds each on a busy machine.
  vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
  const service = useTestService(options);
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
      const user = await createTestUser(service, role, name ? { name } : {});
      return { id: user.id, email: user.email, password: user.password };
    },
  }) as ConsoleFixture;
}

/** Fails the test with axe-core's serious and critical violations on the page, if any. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityProblems(page), `axe-core on ${page.url()}`).toEqual([]);
}

/**
 * The short weekday of a `YYYY-MM-DD` date, as the console writes it ("Tue"): a test's date in
 * next year falls on another weekday each year.
 */
export const weekdayOf = (date: string): string =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
