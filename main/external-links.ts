/**
 * Links that leave the app: the allow-list ({@link checkExternalUrl}), the only call to
 * `shell.openExternal`, and the renderer's IPC path to it. URLs are logged by origin only.
 */
import type { ElectronSeam } from './electron-seam';
import type { IpcRegistry } from './ipc';
import type { Logger } from './logger';

/** Result of {@link checkExternalUrl}: the normalised URL to open, or why it was refused. */
export type ExternalUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);
// mailto parameters mail clients are known to honour safely; `attach=` and friends can leak local files.
const MAILTO_PARAMS = new Set(['to', 'cc', 'bcc', 'subject', 'body']);
const MAX_EXTERNAL_URL = 8192;

/**
 * Decides whether a link may leave the app. Only http(s) and mailto; parsed by the WHATWG URL parser
 * (so Unicode hosts become punycode and `\`, tabs and newlines are normalised the way a browser would),
 * no credentials, and the normalised form is what gets opened.
 */
export function checkExternalUrl(raw: unknown): ExternalUrlCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'link is not a string' };
  if (raw.length > MAX_EXTERNAL_URL) return { ok: false, reason: 'link is too long' };
  // The URL parser would silently strip these; a link that needs them is not one a person typed.
  // eslint-disable-next-line no-control-regex -- control characters are refused on purpose
  if (/[\u0000-\u001f\u007f]/.test(raw))
    return { ok: false, reason: 'link contains control characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'link is not an absolute URL' };
  }
  if (!EXTERNAL_SCHEMES.has(url.protocol)) {
    return {
      ok: false,
      reason: `scheme "${url.protocol}" is not allowed (only http, https, mailto)`,
    };
  }
  if (url.protocol === 'mailto:') {
    for (const key of url.searchParams.keys()) {
      if (!MAILTO_PARAMS.has(key.toLowerCase()))
        return { ok: false, reason: `mailto parameter "${key}" is not allowed` };
    }
    if (url.pathname.length === 0 && !url.searchParams.has('to'))
      return { ok: false, reason: 'mailto link has no address' };
    return { ok: true, url: url.href };
  }
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'link carries credentials' };
  if (url.hostname === '') return { ok: false, reason: 'link has no host' };
  return { ok: true, url: url.href };
}

/** Describes a URL for logs without its path, query or fragment (which may carry tokens). */
export function describeUrlForLog(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'app:')
      return `${url.protocol}//${url.host}`;
    return `${url.protocol} link`;
  } catch {
    return 'unparseable URL';
  }
}

/** Opens a link externally if {@link checkExternalUrl} allows it. The only caller of `shell.openExternal`. */
export async function openExternalChecked(params: {
  electron: ElectronSeam;
  logger: Logger;
  url: unknown;
}): Promise<ExternalUrlCheck> {
  const check = checkExternalUrl(params.url);
  if (!check.ok) {
    params.logger.warn(`external link refused: ${check.reason}`);
    return check;
  }
  try {
    await params.electron.shell.openExternal(check.url);
  } catch (error) {
    params.logger.warn(
      `external link to ${describeUrlForLog(check.url)} could not be opened: ${(error as Error).message}`,
    );
    return { ok: false, reason: 'the system could not open the link' };
  }
  return check;
}

/** Registers `links:openExternal`, the renderer's checked path to the browser and mail client. */
export function setupExternalLinksIpc(params: {
  registry: IpcRegistry;
  electron: ElectronSeam;
  logger: Logger;
}): void {
  params.registry.handle('links:openExternal', async ({ url }) => {
    const result = await openExternalChecked({
      electron: params.electron,
      logger: params.logger,
      url,
    });
    return result.ok
      ? { opened: true as const }
      : { opened: false as const, reason: result.reason };
  });
}
