/**
 * Every time the app shows, in one zone: the deployment's (`timeZone` in the deployment config or
 * web config.json; Beijing time by default), never the machine's. It is set once at start-up
 * ({@link setDisplayTimeZone}), like the language, and read by every formatter here.
 *
 * Formatters are cached `Intl.DateTimeFormat`s. `Date.prototype.toLocale*String` builds a new
 * formatter on every call, which is the dearest part of drawing a timeline row; a fast scroll mounts
 * a dozen rows a frame, so each language's formatter is built once and reused.
 */
import {
  DEFAULT_TIME_ZONE,
  formatZonedTime,
  isValidTimeZone,
  zoneOffsetMs,
} from '../../../shared/config/time-zone';

let displayZone = DEFAULT_TIME_ZONE;
const cache = new Map<string, Intl.DateTimeFormat>();
/** The zone's UTC offset by hour since the epoch: offsets change at most on the hour. */
const offsets = new Map<number, number>();

/** Sets the zone every time is shown and entered in; an unknown zone is refused (the default stays). */
export function setDisplayTimeZone(zone: string): boolean {
  if (!isValidTimeZone(zone)) return false;
  if (zone !== displayZone) {
    displayZone = zone;
    cache.clear();
    offsets.clear();
  }
  return true;
}

/** The zone times are shown and entered in. */
export function displayTimeZone(): string {
  return displayZone;
}

function formatter(
  language: string,
  name: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${language}|${name}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { ...options, timeZone: displayZone });
    cache.set(key, f);
  }
  return f;
}

/** Hours and minutes, as a message's time. */
export function formatTimeOfDay(ts: number, language: string): string {
  return formatter(language, 'time', { hour: '2-digit', minute: '2-digit' }).format(ts);
}

/** Weekday, day, month and year, as a timeline's day separator. */
export function formatDayLabel(ts: number, language: string): string {
  return formatter(language, 'day', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
  }).format(ts);
}

/** The calendar day of `ts` in the display zone, as a key (`2026-12-6`): groups a timeline by day. */
export function displayDayKey(ts: number): string {
  const hour = Math.floor(ts / 3_600_000);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    offset = zoneOffsetMs(ts, displayZone);
    offsets.set(hour, offset);
  }
  const d = new Date(ts + offset);
  return `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
}

/** `YYYY-MM-DD HH:mm` in the display zone: circulars, deadlines, requests. */
export function formatDateTime(ts: number): string {
  return formatZonedTime(ts, displayZone);
}

/**
 * Names the display zone for a label: 北京时间 / Beijing time for the default, else the zone's
 * offset as the language writes it (e.g. GMT+5).
 */
export function timeZoneLabel(language: string): string {
  if (displayZone === DEFAULT_TIME_ZONE)
    return language.startsWith('zh') ? '北京时间' : 'Beijing time';
  const part = formatter(language, 'zone', { timeZoneName: 'shortOffset' })
    .formatToParts(Date.now())
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? displayZone;
}
