import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from './web-server';

describe('web-mode server', () => {
  let root: string;
  let web: Awaited<ReturnType<typeof serveWebApp>>;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'hongyan-web-'));
    await mkdir(path.join(root, 'assets'));
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>鸿雁</title>');
    await writeFile(path.join(root, 'assets', 'index-AbC123.js'), 'export {};');
    web = await serveWebApp({
      root,
      port: 0,
      config: { defaultHomeserverUrl: 'http://127.0.0.1:8008' },
    });
  });
  afterAll(async () => {
    await web.close();
    await rm(root, { recursive: true, force: true });
  });

  it('lets browsers keep content-hashed assets and revalidate the page', async () => {
    const asset = await fetch(new URL('assets/index-AbC123.js', web.url));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const page = await fetch(web.url + 'index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('lets the page connect only to itself and the configured homeserver', async () => {
    const page = await fetch(web.url + 'index.html');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8008;");
    expect(csp).not.toMatch(/connect-src[^;]*(https?:|wss?:)(;| )/);
  });

  it('refuses to serve the app for a homeserver reached over plain http off this machine', async () => {
    await expect(
      serveWebApp({ root, port: 0, config: { defaultHomeserverUrl: 'http://hs.example.org' } }),
    ).rejects.toThrow(/defaultHomeserverUrl "http:\/\/hs.example.org" must use https/);
  });

  it('never caches the config, and refuses writes', async () => {
    const config = await fetch(new URL('config.json', web.url));
    expect(config.headers.get('cache-control')).toBe('no-store');
    expect(await config.json()).toEqual({ defaultHomeserverUrl: 'http://127.0.0.1:8008' });
    expect((await fetch(web.url, { method: 'POST' })).status).toBe(405);
  });
});
