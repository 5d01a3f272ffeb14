/**
 * Cached `Intl.DateTimeFormat`s. `Date.prototype.toLocale*String` builds a new formatter on every
 * call, which is the dearest part of drawing a timeline row; a fast scroll mounts a dozen rows a
 * frame, so each language's formatter is built once and reused.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(
  language: string,
  name: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${language}|${name}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, options);
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
