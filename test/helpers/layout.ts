import type { Page } from 'playwright-core';

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
