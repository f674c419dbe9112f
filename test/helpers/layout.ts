import type { Page } from 'playwright-core';
import { signInAs } from './browser';
import type { ConsoleFixture } from './console';

/** The page is no wider than its window: nothing to scroll sideways (375 px phones). */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const view = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return view.document.documentElement.scrollWidth <= view.innerWidth;
  });
}

/**
 * A signed-in page with JavaScript off (every form works without it: docs/console.md), closed
 * after `use` whatever it did.
 */
export async function withoutScripts(
  ts: ConsoleFixture,
  who: { email: string; password: string },
  use: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await ts.browser().newContext({ baseURL: ts.baseUrl, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await signInAs(page, who.email, who.password);
    await use(page);
  } finally {
    await context.close();
  }
}
