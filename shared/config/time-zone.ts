/**
 * One time zone for every time the app shows or takes: the deployment's, `Asia/Shanghai` unless
 * configured. Chat times, circular times and deadlines typed into the compose form all use it, so
 * a deadline entered as 12-06 18:00 reads 12-06 18:00 everywhere, whatever the machine's own zone.
 * Pure: only the ECMAScript `Intl` API, no DOM or Node.
 */

/** The zone used when the deployment sets none: official work in China runs on Beijing time. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const cache = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = cache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    cache.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone this runtime knows (e.g. `Asia/Shanghai`). */
export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of an instant in a zone. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `zone` at `ms`. */
export function wallClock(ms: number, zone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const p of partsFormatter(zone).formatToParts(ms))
    if (p.type !== 'literal') fields[p.type] = Number(p.value);
  return {
    year: fields['year'] ?? 0,
    month: fields['month'] ?? 0,
    day: fields['day'] ?? 0,
    hour: fields['hour'] ?? 0,
    minute: fields['minute'] ?? 0,
    second: fields['second'] ?? 0,
  };
}

/** The zone's offset from UTC at `ms`, in ms (Beijing: +8 h). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:mm` in `zone`. */
export function formatZonedTime(ms: number, zone: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(ms, zone);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)} ${pad2(w.hour)}:${pad2(w.minute)}`;
}

/** `YYYY-MM-DDTHH:mm` in `zone`, the value of a `datetime-local` input. */
export function toZonedInput(ms: number, zone: string): string {
  return formatZonedTime(ms, zone).replace(' ', 'T');
}

const INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a `datetime-local` value (`YYYY-MM-DDTHH:mm`) names in `zone`; undefined when the
 * value is not one. In a gap of a daylight-saving change the result lands after the gap.
 */
export function parseZonedInput(value: string, zone: string): number | undefined {
  const m = INPUT.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!, Number.isNaN(s) ? 0 : (s ?? 0));
  // The offset at the wall time read as UTC is right except near a change; one more step settles it.
  let ms = wall - zoneOffsetMs(wall, zone);
  ms = wall - zoneOffsetMs(ms, zone);
  return ms;
}
