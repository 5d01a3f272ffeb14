import { DEFAULT_TIME_ZONE, isValidTimeZone } from '../../../shared/config/time-zone';

/** Settings the renderer needs at start-up, before anyone signs in. */
export interface AppConfig {
  /** Homeserver URL pre-filled on the login screen. */
  defaultHomeserverUrl: string;
  /** Web mode: draw the user's name and ID as a watermark (the desktop app reads its deployment config). */
  watermark: boolean;
  /** Web mode: the zone every time is shown and entered in (the desktop app reads its deployment config). */
  timeZone: string;
  /** Web mode: offer username-and-password sign-in (false: single sign-on only). */
  passwordLogin: boolean;
}

const FALLBACK: AppConfig = {
  defaultHomeserverUrl: 'http://127.0.0.1:8008',
  watermark: false,
  timeZone: DEFAULT_TIME_ZONE,
  passwordLogin: true,
};

/**
 * Loads the web-mode config (`config.json` next to index.html, written by whoever serves the app).
 * A missing file means defaults; a malformed one is reported and defaults are used, so a bad deployment
 * file never blocks sign-in.
 */
export async function loadWebConfig(
  fetchFn: typeof fetch = fetch,
): Promise<{ config: AppConfig; error?: string }> {
  let res: Response;
  try {
    res = await fetchFn('./config.json', { cache: 'no-store' });
  } catch {
    return { config: FALLBACK };
  }
  if (!res.ok) return { config: FALLBACK };
  try {
    const raw: unknown = await res.json();
    const url = (raw as { defaultHomeserverUrl?: unknown }).defaultHomeserverUrl;
    if (url !== undefined && typeof url !== 'string') {
      return { config: FALLBACK, error: 'config.json: "defaultHomeserverUrl" must be a string' };
    }
    const watermark = (raw as { watermark?: unknown }).watermark;
    if (watermark !== undefined && typeof watermark !== 'boolean') {
      return { config: FALLBACK, error: 'config.json: "watermark" must be true or false' };
    }
    const timeZone = (raw as { timeZone?: unknown }).timeZone;
    if (timeZone !== undefined && !(typeof timeZone === 'string' && isValidTimeZone(timeZone))) {
      return {
        config: FALLBACK,
        error: 'config.json: "timeZone" must be an IANA time zone such as "Asia/Shanghai"',
      };
    }
    const passwordLogin = (raw as { passwordLogin?: unknown }).passwordLogin;
    if (passwordLogin !== undefined && typeof passwordLogin !== 'boolean') {
      return { config: FALLBACK, error: 'config.json: "passwordLogin" must be true or false' };
    }
    return {
      config: {
        ...FALLBACK,
        ...(url ? { defaultHomeserverUrl: url } : {}),
        ...(watermark !== undefined ? { watermark } : {}),
        ...(timeZone !== undefined ? { timeZone } : {}),
        ...(passwordLogin !== undefined ? { passwordLogin } : {}),
      },
    };
  } catch (err) {
    return { config: FALLBACK, error: `config.json: not valid JSON (${(err as Error).message})` };
  }
}
