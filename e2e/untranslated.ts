import type { Page } from 'playwright-core';

/**
 * English words a zh-CN screen may show: product and format names, key names in hints, the
 * language switch's own option, and the parts of Matrix IDs and server names.
 */
const ALLOWED = new Set(['excel', 'csv', 'xlsx', 'markdown', 'enter', 'shift', 'english', 'pdf']);

/**
 * The English words visible on the page (rendered text only: folded 详情 and hidden elements are
 * left out), other than allowed names and Matrix IDs, server names and file names. A zh-CN screen
 * should give an empty list.
 */
export async function untranslatedEnglish(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  const cleaned = text
    // Matrix IDs, room aliases, server names, URLs, file names and codes: data, not UI text.
    .replace(/[@#!$][\w.=-]+:[\w.-]+(:\d+)?/g, ' ')
    .replace(/\bhttps?:\/\/\S+/g, ' ')
    .replace(/\b[\w-]+\.[a-z0-9]{2,5}\b/gi, ' ')
    .replace(/\b[\w.-]+\.(test|local|cn|com|org)\b/gi, ' ');
  const words = cleaned.match(/[A-Za-z]{3,}/g) ?? [];
  return [...new Set(words.filter((w) => !ALLOWED.has(w.toLowerCase())))];
}
