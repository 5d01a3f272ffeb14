/*
 * Web mode's service worker: caches the app shell (index.html, the hashed bundles, the crypto WASM,
 * icons, manifest and config) so the app opens without a network and shows its last sealed state.
 * It never touches the homeserver: only same-origin GETs for files in SHELL are answered, so no
 * Matrix response, media or decrypted content passes through or lands in its cache; the app's own
 * sealed stores (IndexedDB, encrypted at rest) hold the data as before.
 * The build prepends `const SHELL = [...]` and `const VERSION = '...'`.
 */
/* global SHELL, VERSION */
const CACHE = `hongyan-shell-${VERSION}`;
/** Always asked of the network first, so a deployment's new build or config shows up at once. */
const NETWORK_FIRST = new Set(['./', './index.html', './config.json']);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith('hongyan-shell-') && k !== CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/** The shell path ('./assets/x.js') of a same-origin URL within the worker's scope, or null. */
function shellPath(url) {
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  return `./${url.pathname.slice(scope.pathname.length)}`;
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request, key) {
  const cached = await caches.match(key, { cacheName: CACHE });
  return cached ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const path = shellPath(url);
  if (path === null) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, './index.html'));
  } else if (NETWORK_FIRST.has(path)) {
    event.respondWith(networkFirst(request, path));
  } else if (SHELL.includes(path)) {
    event.respondWith(cacheFirst(request, path));
  }
});
