/**
 * Where the renderer lives: `app://hongyan/…`, served by `protocol.ts` from `out/renderer`.
 * A fixed host makes the origin stable (IndexedDB, the crypto store and localStorage are keyed by it).
 */

/** The privileged scheme serving the renderer. */
export const APP_SCHEME = 'app';
/** The only host of that scheme. */
export const APP_HOST = 'hongyan';
/** The renderer's origin, as Chromium reports it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True when `url` is a page of the app (`app://hongyan/...`) without credentials or port. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
