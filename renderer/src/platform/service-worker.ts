/**
 * Registers web mode's service worker (sw.js, built by scripts/pwa), which caches the app shell only
 * so the app opens offline. Only a build that links a manifest has one (the dev server and the
 * desktop app, which loads its files locally, do not).
 */
export function registerServiceWorker(): void {
  if (__HONGYAN_TARGET__ !== 'web' || !('serviceWorker' in navigator)) return;
  if (!document.querySelector('link[rel="manifest"]')) return;
  navigator.serviceWorker
    .register('./sw.js', { scope: './' })
    .catch((err: unknown) => console.warn(`[pwa] service worker not registered: ${String(err)}`));
}
