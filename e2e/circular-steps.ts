/** An issuer's steps in the app's 发文 (compose) screen, as the circular e2e tests take them. */
import type { Page } from 'playwright-core';

/** Opens 通知 › 发文 and fills the title and the body. */
export async function startCircular(page: Page, draft: { title: string; body: string }) {
  await page.getByTestId('nav-circulars').click();
  await page.getByTestId('circ-tab-compose').click();
  await page.getByTestId('compose-title').fill(draft.title);
  await page.getByTestId('compose-body').fill(draft.body);
}

/** Adds the target "every unit of `level` under `unitCode`". */
export async function targetLevelUnder(page: Page, unitCode: string, level: string) {
  await page.getByTestId('target-unit').selectOption(unitCode);
  await page.getByTestId('target-scope').selectOption('level');
  await page.getByTestId('target-level').selectOption(level);
  await page.getByTestId('target-add').click();
}

/** Sends the circular and waits until the app reports every unit's copy sent. */
export async function sendCircular(page: Page, units: number) {
  await page.getByTestId('compose-send').click();
  await page
    .getByTestId('compose-progress')
    .filter({ hasText: `已发送至全部 ${units} 个单位` })
    .waitFor({ timeout: 60_000 });
}
