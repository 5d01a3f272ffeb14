/**
 * The `app://hongyan` protocol: serves the built renderer from disk (or the asar archive) with the
 * right MIME types and a strict Content-Security-Policy, and refuses anything that tries to reach
 * outside the renderer folder.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';
import type { ElectronSeam } from './electron-seam';
import type { Logger } from './logger';

/**
 * Registers `app:` as a standard, secure scheme that supports fetch (needed for
 * `WebAssembly.instantiateStreaming` of the crypto module). Must run before the app is ready.
 */
export function registerAppScheme(electron: ElectronSeam): void {
  electron.protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: false,
        stream: true,
        allowServiceWorkers: false,
        bypassCSP: false,
        codeCache: true,
      },
    },
  ]);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** MIME type for a file name; unknown extensions are served as opaque bytes. */
export function mimeTypeFor(fileName: string): string {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The renderer's Content-Security-Policy. `connect-src` allows only the app itself and the given
 * origins (the configured homeserver), so a script injected through a message could not talk to
 * anything else. `'wasm-unsafe-eval'` lets the Rust crypto module compile; no other eval.
 *
 * The page also carries its own `<meta>` policy (for web mode) and Chromium enforces both, so this
 * header only ever narrows it. `style-src` and `worker-src` match the page's policy on purpose: end-to-end
 * tests run the web build, and a desktop-only difference there would break unseen.
 */
export function buildContentSecurityPolicy(connectOrigins: readonly string[]): string {
  const connect = ["'self'", ...connectOrigins].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src ${connect}`,
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Result of mapping a request URL to a file under the renderer root. */
export type AppPathResolution =
  { ok: true; filePath: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * Maps an `app://hongyan/...` URL to a file under `root`. Refuses, rather than normalises, anything
 * suspicious: `..` or `.` segments (also percent-encoded), backslashes, empty segments (`//etc`),
 * drive letters or `:`, NUL and other control characters, and malformed percent-encoding.
 */
export function resolveAppPath(root: string, requestUrl: string): AppPathResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (
    url.protocol !== `${APP_SCHEME}:` ||
    url.hostname !== APP_HOST ||
    url.port !== '' ||
    url.username !== ''
  ) {
    return { ok: false, status: 404, reason: 'not an app://hongyan URL' };
  }
  const rawPath = url.pathname;
  if (rawPath.includes('\\')) return { ok: false, status: 400, reason: 'backslash in path' };
  const rawSegments = rawPath.split('/').slice(1);
  if (rawSegments.length === 1 && rawSegments[0] === '') rawSegments[0] = 'index.html';
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    if (segment === '') return { ok: false, status: 400, reason: 'empty path segment' };
    if (segment === '.' || segment === '..')
      return { ok: false, status: 400, reason: 'dot segment in path' };
    // eslint-disable-next-line no-control-regex -- NUL and other control characters are refused on purpose
    if (/[/\\:\u0000-\u001f\u007f]/.test(segment)) {
      return {
        ok: false,
        status: 400,
        reason: 'separator, colon or control character in path segment',
      };
    }
    segments.push(segment);
  }
  const base = resolve(root);
  const filePath = resolve(join(base, ...segments));
  // Defence in depth: whatever slipped through above still cannot leave the root.
  if (!filePath.startsWith(base + sep))
    return { ok: false, status: 400, reason: 'path escapes the renderer folder' };
  return { ok: true, filePath };
}

/** What the protocol handler needs. */
export interface AppProtocolOptions {
  /** Folder of the built renderer (`out/renderer`). */
  root: string;
  /** Origins the renderer may connect to, read per request so a changed homeserver applies on reload. */
  getConnectOrigins: () => readonly string[];
  logger: Logger;
}

function securityHeaders(csp: string, contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Creates the request handler for `app://` (exported separately so tests can call it directly). */
export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  const { root, getConnectOrigins, logger } = options;
  return async (request) => {
    const csp = buildContentSecurityPolicy(getConnectOrigins());
    const refuse = (status: number, text: string): Response =>
      new Response(text, { status, headers: securityHeaders(csp, 'text/plain; charset=utf-8') });

    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(405, 'method not allowed');
    const resolved = resolveAppPath(root, request.url);
    if (!resolved.ok) {
      logger.warn(`app:// request refused (${resolved.status}): ${resolved.reason}`);
      return refuse(resolved.status, resolved.reason);
    }
    let filePath = resolved.filePath;
    if (!(await isFile(filePath))) {
      // Extension-less paths are client-side routes: serve the app shell. Missing assets are 404s.
      if (extname(filePath) !== '') return refuse(404, 'not found');
      filePath = join(resolve(root), 'index.html');
    }
    try {
      const body = await readFile(filePath);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: securityHeaders(csp, mimeTypeFor(filePath)),
      });
    } catch (error) {
      logger.error(
        `app:// could not read a renderer file: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
      return refuse(500, 'could not read file');
    }
  };
}

/** Serves the renderer on `app://hongyan`. Call after the app is ready. */
export function setupAppProtocol(params: { electron: ElectronSeam } & AppProtocolOptions): void {
  params.electron.protocol.handle(APP_SCHEME, createAppProtocolHandler(params));
}
