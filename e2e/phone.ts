import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Smallest touch target the phone layout allows, in CSS pixels. */
export const MIN_TOUCH = 44;

/**
 * Asserts what a phone user relies on for the screen as it is now: nothing wider than the screen
 * (no sideways scrolling) and every visible control big enough to hit with a finger.
 */
export async function expectPhoneFit(page: Page, screen: string): Promise<void> {
  const report = await page.evaluate((min) => {
    const doc = document.scrollingElement ?? document.documentElement;
    const small: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'button, select, input:not([type=checkbox]):not([type=radio]):not([type=file]), textarea, a[href]',
    );
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (r.height < min - 0.5 || r.width < min - 0.5) {
        const id = el.dataset.testid ?? el.className ?? el.tagName;
        small.push(
          `${el.tagName.toLowerCase()}[${id}] ${Math.round(r.width)}×${Math.round(r.height)}`,
        );
      }
    }
    return { scrollWidth: doc.scrollWidth, width: window.innerWidth, small };
  }, MIN_TOUCH);
  expect(report.scrollWidth, `${screen}: page scrolls sideways`).toBeLessThanOrEqual(report.width);
  expect(report.small, `${screen}: touch targets under ${MIN_TOUCH}px`).toEqual([]);
}
