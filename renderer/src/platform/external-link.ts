/** Schemes a link in a message may open. Everything else (javascript:, data:, file:, custom apps) is refused. */
export const EXTERNAL_LINK_SCHEMES = ['http:', 'https:', 'mailto:'] as const;

/** Result of {@link checkExternalUrl}. */
export type ExternalUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * The renderer's half of the "checked path" for links: parses the URL and refuses unknown schemes
 * and embedded credentials. The desktop main process runs its own check again before opening.
 */
export function checkExternalUrl(raw: string): ExternalUrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: `not a valid URL: ${raw.slice(0, 100)}` };
  }
  if (!(EXTERNAL_LINK_SCHEMES as readonly string[]).includes(url.protocol)) {
    return { ok: false, reason: `scheme ${url.protocol} is not allowed` };
  }
  if (url.username || url.password)
    return { ok: false, reason: 'URLs with credentials are not opened' };
  return { ok: true, url: url.href };
}

/**
 * What a person should read as a link's destination: the host of a web link, the address of a
 * mail link. Null when the link would be refused anyway.
 */
export function linkDestination(href: string): string | null {
  const checked = checkExternalUrl(href);
  if (!checked.ok) return null;
  const url = new URL(checked.url);
  if (url.protocol === 'mailto:') return decodeURIComponent(url.pathname) || url.href;
  return url.host;
}

/** A host name as a person would type it: labels of letters, digits and hyphens, a letter TLD. */
const HOST_IN_TEXT =
  /^(?:[a-z][a-z0-9+.-]*:\/\/)?((?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,63})(?::\d+)?(?:[/?#]\S*)?$/iu;

/** The host a link's visible text names ("www.gov.cn", "https://www.gov.cn/x"), if it names one. */
export function hostNamedByText(text: string): string | null {
  const match = HOST_IN_TEXT.exec(text.trim());
  if (!match?.[1]) return null;
  try {
    // Through the URL parser, so a Unicode name compares in the punycode form the href has.
    return new URL(`https://${match[1]}`).hostname;
  } catch {
    return null;
  }
}

/**
 * When a link's text names one host and its href goes to another ("https://www.gov.cn" pointing at
 * evil.example), the two hosts; null when the text names no host or the same one ("www." aside).
 */
export function linkHostMismatch(
  text: string,
  href: string,
): { named: string; real: string } | null {
  const named = hostNamedByText(text);
  const checked = checkExternalUrl(href);
  if (!named || !checked.ok) return null;
  const url = new URL(checked.url);
  if (url.protocol === 'mailto:') return null;
  const bare = (host: string) => host.toLowerCase().replace(/^www\./, '');
  return bare(named) === bare(url.hostname) ? null : { named, real: url.hostname };
}
