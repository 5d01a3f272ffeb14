import { afterEach, describe, expect, it } from 'vitest';
import {
  displayDayKey,
  displayTimeZone,
  formatDateTime,
  formatDayLabel,
  formatTimeOfDay,
  setDisplayTimeZone,
  timeZoneLabel,
} from './date-format';

afterEach(() => {
  setDisplayTimeZone('Asia/Shanghai');
});

describe('cached date formats in the deployment zone', () => {
  const ts = Date.UTC(2026, 10, 20, 6, 5);

  it('formats in Beijing time by default, whatever the machine zone, per language', () => {
    expect(displayTimeZone()).toBe('Asia/Shanghai');
    for (const language of ['zh-CN', 'en']) {
      expect(formatTimeOfDay(ts, language)).toBe(
        new Date(ts).toLocaleTimeString(language, {
          hour: '2-digit',
          minute: '2-digit',
          timeZone: 'Asia/Shanghai',
        }),
      );
      expect(formatDayLabel(ts, language)).toBe(
        new Date(ts).toLocaleDateString(language, {
          year: 'numeric',
          month: 'long',
          day: 'numeric',
          weekday: 'short',
          timeZone: 'Asia/Shanghai',
        }),
      );
    }
    expect(formatDateTime(ts)).toBe('2026-11-20 14:05');
    expect(formatTimeOfDay(ts, 'zh-CN')).toBe('14:05');
  });

  it('keeps languages apart after the first use', () => {
    const zh = formatDayLabel(ts, 'zh-CN');
    const en = formatDayLabel(ts, 'en');
    expect(zh).toContain('2026年');
    expect(en).toContain('2026');
    expect(en).not.toContain('年');
    expect(formatDayLabel(ts, 'zh-CN')).toBe(zh);
  });

  it('switches every formatter to a configured zone and labels it', () => {
    expect(timeZoneLabel('zh-CN')).toBe('北京时间');
    expect(timeZoneLabel('en')).toBe('Beijing time');
    expect(setDisplayTimeZone('Asia/Urumqi')).toBe(true);
    expect(formatDateTime(ts)).toBe('2026-11-20 12:05');
    expect(formatTimeOfDay(ts, 'zh-CN')).toBe('12:05');
    expect(timeZoneLabel('en')).toBe('GMT+6');
  });

  it('refuses an unknown zone and keeps the one in use', () => {
    expect(setDisplayTimeZone('Mars/Olympus')).toBe(false);
    expect(displayTimeZone()).toBe('Asia/Shanghai');
  });
});

describe('displayDayKey', () => {
  it('puts a message on the day of the deployment zone, not of the machine', () => {
    // 2026-12-06 17:30 UTC is already 12-07 in Beijing.
    expect(displayDayKey(Date.UTC(2026, 11, 6, 17, 30))).toBe('2026-12-7');
    expect(displayDayKey(Date.UTC(2026, 11, 6, 15, 59))).toBe('2026-12-6');
    setDisplayTimeZone('UTC');
    expect(displayDayKey(Date.UTC(2026, 11, 6, 17, 30))).toBe('2026-12-6');
  });
});
