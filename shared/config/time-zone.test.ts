import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIME_ZONE,
  formatZonedTime,
  isValidTimeZone,
  parseZonedInput,
  toZonedInput,
  zoneOffsetMs,
} from './time-zone';

const HOUR = 3_600_000;

describe('deployment time zone', () => {
  it('defaults to Beijing time, UTC+8', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(zoneOffsetMs(Date.UTC(2026, 11, 6, 10, 0), DEFAULT_TIME_ZONE)).toBe(8 * HOUR);
  });

  it('reads a deadline typed as 12-06 18:00 as 18:00 in the zone, and shows it back the same', () => {
    const ms = parseZonedInput('2026-12-06T18:00', 'Asia/Shanghai');
    expect(ms).toBe(Date.UTC(2026, 11, 6, 10, 0));
    expect(formatZonedTime(ms!, 'Asia/Shanghai')).toBe('2026-12-06 18:00');
    expect(toZonedInput(ms!, 'Asia/Shanghai')).toBe('2026-12-06T18:00');
    // The same instant on a UTC machine's clock is 10:00, not 18:00 and not the next day.
    expect(formatZonedTime(ms!, 'UTC')).toBe('2026-12-06 10:00');
  });

  it('handles zones with daylight saving on both sides of a change', () => {
    expect(parseZonedInput('2026-07-01T12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 10, 0));
    expect(parseZonedInput('2026-01-15T12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 15, 11, 0));
    // 02:30 on 29 March 2026 does not exist in Berlin: it lands after the gap.
    const gap = parseZonedInput('2026-03-29T02:30', 'Europe/Berlin')!;
    expect(formatZonedTime(gap, 'Europe/Berlin')).toMatch(/^2026-03-29 0[13]:30$/);
  });

  it('refuses values that are not a datetime-local value, and zones that do not exist', () => {
    expect(parseZonedInput('12-06 18:00', 'Asia/Shanghai')).toBeUndefined();
    expect(parseZonedInput('', 'Asia/Shanghai')).toBeUndefined();
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
