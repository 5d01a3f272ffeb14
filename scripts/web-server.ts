import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { normaliseHttpUrl, originOfHttpUrl } from '../shared/config/transport';

/**
 * Security headers for web mode, mirroring the desktop shell's policy where a browser allows it.
 * `connect-src` names only the app itself and the configured homeserver: a script injected through
 * a message could not send what it reads anywhere else. (The page's own `<meta>` policy is wider,
 * for hosts that serve no headers; browsers enforce both, so this one narrows it.)
 */
export function webSecurityHeaders(
  homeserverOrigin: string,
  /** The identity platform, whose reachability the login screen checks before single sign-on. */
  identityProviderOrigin?: string,
): Record<string, string> {
  const connect = identityProviderOrigin
    ? `${homeserverOrigin} ${identityProviderOrigin}`
    : homeserverOrigin;
  return {
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
      `img-src 'self' blob: data:; media-src 'self' blob:; font-src 'self'; connect-src 'self' ${connect}; ` +
      "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
}

/** Options of {@link serveWebApp}. */
export interface ServeWebOptions {
  /** Folder of the built web renderer (`dist/web`). */
  root: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Interface to bind; loopback unless the operator says otherwise. */
  host?: string;
  /** Served as `/config.json`: what the login screen pre-fills. */
  config: { defaultHomeserverUrl: string; watermark?: boolean; passwordLogin?: boolean };
  /** Origin of the identity platform behind single sign-on, if any (see `webSecurityHeaders`). */
  identityProviderOrigin?: string;
}

/**
 * Serves the built web-mode renderer with strict headers; resolves once listening.
 * @throws Error when the configured homeserver is not an https URL (or plain http on loopback).
 */
export async function serveWebApp(
  opts: ServeWebOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const homeserver = normaliseHttpUrl(opts.config.defaultHomeserverUrl, {
    allowLoopbackHttp: true,
  });
  if (!homeserver.ok) throw new Error(`web mode: defaultHomeserverUrl ${homeserver.message}`);
  const files = sirv(opts.root, {
    dev: false,
    etag: true,
    gzip: false,
    single: false,
    // Vite names every built asset after its content hash, so a returning browser may keep them
    // (and its compiled code) for good; index.html names the current ones and is always revalidated.
    setHeaders: (res, pathname) =>
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  const configBody = JSON.stringify(opts.config);
  const headers = webSecurityHeaders(
    originOfHttpUrl(homeserver.value),
    opts.identityProviderOrigin,
  );
  const server: Server = createServer((req, res) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if ((req.url ?? '').split('?')[0] === '/config.json') {
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(configBody);
      return;
    }
    files(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is already in use`) : err),
    );
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
