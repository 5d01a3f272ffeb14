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

/**
 * Asserts a sign-in style page (`.login-page`) is its own background from the top of the document
 * to the bottom, scrolled to the end: no band of another colour below it, and its card not pushed
 * above the top where it could not be scrolled to.
 */
export async function expectPageFilled(page: Page, screen: string): Promise<void> {
  const report = await page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    const card = document.querySelector('.login-card')?.getBoundingClientRect();
    const cardTop = (card?.top ?? 0) + doc.scrollTop;
    doc.scrollTop = doc.scrollHeight;
    const under = (y: number) =>
      document.elementFromPoint(window.innerWidth / 2, y)?.closest('.login-page') !== null &&
      document.elementFromPoint(4, y)?.closest('.login-page') !== null;
    const bottomFilled = under(window.innerHeight - 2);
    doc.scrollTop = 0;
    // One colour behind the card, not a band that stops part-way down.
    const bg = getComputedStyle(document.querySelector('.login-page') ?? document.body);
    return { bottomFilled, topFilled: under(1), cardTop, image: bg.backgroundImage };
  });
  expect(report.topFilled, `${screen}: page background at the top`).toBe(true);
  expect(report.bottomFilled, `${screen}: page background at the bottom`).toBe(true);
  expect(report.cardTop, `${screen}: card above the top of the page`).toBeGreaterThanOrEqual(0);
  expect(report.image, `${screen}: page background in one colour`).toBe('none');
}
