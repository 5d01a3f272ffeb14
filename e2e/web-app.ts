import { join } from 'node:path';
import { serveWebApp } from '../scripts/web-server';

/**
 * Serves the web-mode build (made by global-setup) pointing the login screen at `homeserverUrl`;
 * `options.watermark` plays a deployment that requires the name-and-ID watermark.
 */
export function serveBuiltWebApp(homeserverUrl: string, options: { watermark?: boolean } = {}) {
  return serveWebApp({
    root: join(process.cwd(), 'dist', 'web'),
    port: 0,
    config: { defaultHomeserverUrl: homeserverUrl, ...options },
  });
}
