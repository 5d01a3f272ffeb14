import { describe, expect, it } from 'vitest';
import { formatDayLabel, formatTimeOfDay } from './date-format';

describe('cached date formats', () => {
  const ts = Date.UTC(2026, 10, 20, 6, 5);

  it('formats as the platform does, per language', () => {
    for (const language of ['zh-CN', 'en']) {
      expect(formatTimeOfDay(ts, language)).toBe(
        new Date(ts).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }),
      );
      expect(formatDayLabel(ts, language)).toBe(
        new Date(ts).toLocaleDateString(language, {
          year: 'numeric',
          month: 'long',
          day: 'numeric',
          weekday: 'short',
        }),
      );
    }
  });

  it('keeps languages apart after the first use', () => {
    const zh = formatDayLabel(ts, 'zh-CN');
    const en = formatDayLabel(ts, 'en');
    expect(zh).toContain('2026年');
    expect(en).toContain('2026');
    expect(en).not.toContain('年');
    expect(formatDayLabel(ts, 'zh-CN')).toBe(zh);
  });
});
