/**
 * Which homeserver addresses the apps and tools may talk to. Plain http carries access tokens and
 * passwords in the clear, so it is allowed only to this machine (a local test homeserver).
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
