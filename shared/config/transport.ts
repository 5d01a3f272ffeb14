/**
 * Which homeserver addresses the apps and tools may talk to, and the one normaliser of a typed or
 * configured base URL ({@link normaliseHttpUrl}). The rule: https anywhere; plain http only to this
 * machine (a local test homeserver), because it carries access tokens and passwords in the clear,
 * and only where the caller allows it at all (an update server never may). No credentials, query or
 * fragment; hosts in ASCII (punycode), so a look-alike Unicode host is never accepted by accident.
 */

/** A loopback host as a URL spells it: `localhost`, `127.x.y.z` or `[::1]` (case-insensitive). */
const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Whether a URL hostname (`URL.hostname`, IPv6 in brackets) names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}

/**
 * Why a URL must not carry credentials, or null when it may: https anywhere, http only to loopback.
 * The message names the URL's origin (never a path or query, which could hold a secret).
 */
export function insecureTransportReason(url: string): string | null {
  // Parsed by hand: shared/ runs without the DOM's or Node's URL class.
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(:\d+)?/i.exec(
    url.trim(),
  );
  if (!match) return `"${url}" is not a URL`;
  const scheme = (match[1] ?? '').toLowerCase();
  const host = (match[2] ?? '').toLowerCase();
  if (scheme === 'https' && host) return null;
  if (scheme === 'http' && isLoopbackHost(host)) return null;
  return `${scheme}://${host}${match[3] ?? ''} is not https (plain http is allowed only to a loopback address)`;
}

// A hostname of ASCII labels or a bracketed IPv6 literal. Non-ASCII hosts must be written in punycode,
// so a look-alike Unicode host can never be configured by accident.
const HTTP_URL =
  /^(https?):\/\/([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?(\/[^\s?#]*)?$/i;

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** What {@link normaliseHttpUrl} gives: the normalised URL, or why not. */
export type HttpUrlResult =
  | { ok: true; value: string }
  | {
      ok: false;
      /** Not an http(s) URL this app accepts at all. */
      problem: 'invalid';
      /** What is wrong, short and free of secrets (no password, no query): for the login screen. */
      detail: string;
      /** A sentence naming the input, for config files and logs. */
      message: string;
    }
  | {
      ok: false;
      /** Plain http where it is not allowed. */
      problem: 'insecure';
      /** The refused URL's origin (`http://host[:port]`). */
      origin: string;
      message: string;
    };

/** Why an input that is not an accepted http(s) URL is refused, in a few secret-free characters. */
function invalidDetail(input: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(input)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https')
    return `${scheme}: (http/https only)`;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(input)?.[1] ?? '';
  if (authority.includes('@')) return 'user:password@';
  if (/[?#]/.test(input)) return input.includes('?') ? '?…' : '#…';
  return input;
}

/**
 * Checks and normalises an http(s) base URL: lower-case scheme and host, default port and trailing
 * slash dropped. Plain http is accepted only for loopback hosts, and only with `allowLoopbackHttp`.
 * Credentials, query strings and fragments are refused. With `bareHostIsHttps` (what a person
 * types on the login screen), an input without a scheme is taken as https.
 */
export function normaliseHttpUrl(
  input: string,
  options: { allowLoopbackHttp: boolean; bareHostIsHttps?: boolean },
): HttpUrlResult {
  const trimmed = input.trim();
  const url = options.bareHostIsHttps && !HAS_SCHEME.test(trimmed) ? `https://${trimmed}` : trimmed;
  const match = HTTP_URL.exec(url);
  if (!match) {
    return {
      ok: false,
      problem: 'invalid',
      detail: invalidDetail(trimmed),
      message: `"${input}" is not an http(s) URL without credentials, query or fragment (use punycode for non-ASCII hosts)`,
    };
  }
  const scheme = (match[1] ?? '').toLowerCase();
  const host = (match[2] ?? '').toLowerCase();
  const port = match[3];
  const path = (match[4] ?? '').replace(/\/+$/, '');
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return {
      ok: false,
      problem: 'invalid',
      detail: `:${port}`,
      message: `"${input}" has an invalid port`,
    };
  }
  const defaultPort = scheme === 'https' ? '443' : '80';
  const origin = `${scheme}://${host}${port === undefined || port === defaultPort ? '' : `:${Number(port)}`}`;
  if (scheme === 'http' && !(options.allowLoopbackHttp && isLoopbackHost(host))) {
    return {
      ok: false,
      problem: 'insecure',
      origin,
      message: `"${input}" must use https (plain http is allowed only for a loopback test server)`,
    };
  }
  return { ok: true, value: `${origin}${path}` };
}

/** The origin (`scheme://host[:port]`) of a URL accepted by {@link normaliseHttpUrl}. */
export function originOfHttpUrl(normalisedUrl: string): string {
  const match = /^(https?:\/\/[^/]+)/.exec(normalisedUrl);
  if (!match?.[1]) throw new Error(`not a normalised http(s) URL: ${normalisedUrl}`);
  return match[1];
}
