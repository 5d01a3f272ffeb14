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
