import { describe, expect, it } from 'vitest';
import { escapeHtml, formatChinaTime, utf8ByteLength } from './text';

describe('text helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it.each([
    [Date.UTC(2025, 5, 1, 1, 0), '2025-06-01 09:00'],
    [Date.UTC(2025, 11, 31, 16, 5), '2026-01-01 00:05'],
    [Date.UTC(2024, 1, 28, 23, 59), '2024-02-29 07:59'],
  ])('formats %d in Beijing time as %s, whatever the machine’s zone', (ms, text) => {
    expect(formatChinaTime(ms)).toBe(text);
  });

  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['通知', 6],
    ['🎉', 4],
    ['\ud800', 3],
  ])('counts UTF-8 bytes of %j as %d', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });
});
