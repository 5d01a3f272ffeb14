import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const publicDir = resolve(import.meta.dirname, 'renderer/web-public');

/** Files of the public folder, as './'-relative shell paths. */
function publicFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory()
      ? publicFiles(full, root)
      : [`./${relative(root, full).split('\\').join('/')}`];
  });
}

/**
 * Makes the web build an installable PWA: links the manifest and icons from index.html, and emits
 * `sw.js`, the service worker of scripts/pwa/service-worker.js with the list of this build's shell
 * files (its version is their hash, so a new build replaces the old cache).
 */
export function pwaPlugin(publicDir: string): Plugin {
  return {
    name: 'hongyan-pwa',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'link', attrs: { rel: 'manifest', href: './manifest.webmanifest' }, injectTo: 'head' },
      { tag: 'meta', attrs: { name: 'theme-color', content: '#13294b' }, injectTo: 'head' },
      { tag: 'link', attrs: { rel: 'icon', href: './icons/icon.svg' }, injectTo: 'head' },
      {
        tag: 'link',
        attrs: { rel: 'apple-touch-icon', href: './icons/icon-192.png' },
        injectTo: 'head',
      },
    ],
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle).map((file) => `./${file}`);
      const shell = ['./', './index.html', './config.json', ...publicFiles(publicDir), ...built]
        .filter((p, i, all) => all.indexOf(p) === i && p !== './sw.js')
        .sort();
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(
        join(import.meta.dirname, 'scripts/pwa/service-worker.js'),
        'utf8',
      );
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: `const SHELL = ${JSON.stringify(shell)};\nconst VERSION = '${version}';\n${source}`,
      });
    },
  };
}

// Web mode: the same renderer, built as a plain web app for a browser.
export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  // Manifest, icons and service worker are web-only: the desktop build has no use for them.
  publicDir,
  plugins: [react(), pwaPlugin(publicDir)],
  define: { __HONGYAN_TARGET__: JSON.stringify('web') },
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // The Rust crypto WASM (~8 MB) and matrix-js-sdk are large by nature; code-splitting them buys nothing at start-up.
    chunkSizeWarningLimit: 10_000,
  },
  server: { host: '127.0.0.1' },
});
