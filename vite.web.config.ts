import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Web mode: the same renderer, built as a plain web app for a browser.
export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react()],
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
