import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import {
  buildContentSecurityPolicy,
  createAppProtocolHandler,
  mimeTypeFor,
  registerAppScheme,
  resolveAppPath,
  setupAppProtocol,
} from './protocol';
import { createFakeElectron } from './testing/fake-electron';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'hongyan-protocol-'));
  root = join(base, 'out', 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(
    join(root, 'assets', 'crypto_bg.wasm'),
    Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
  );
  writeFileSync(join(root, 'assets', 'index.css'), 'body{}');
  // Secrets outside the renderer folder that traversal attempts aim at.
  writeFileSync(join(base, 'secret.txt'), 'TOP-SECRET');
  writeFileSync(join(base, 'out', 'secret.txt'), 'TOP-SECRET');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function handler(
  origins: string[] = ['https://matrix.example.gov.cn'],
): (request: Request) => Promise<Response> {
  return createAppProtocolHandler({
    root,
    getConnectOrigins: () => origins,
    logger: createMemoryLogger(),
  });
}

describe('app:// scheme registration', () => {
  it('registers app as standard, secure and fetch-capable, before ready', () => {
    const electron = createFakeElectron({ baseDir: base });
    registerAppScheme(electron);
    expect(electron.privilegedSchemes).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({
          standard: true,
          secure: true,
          supportFetchAPI: true,
          bypassCSP: false,
        }),
      },
    ]);
  });

  it('setupAppProtocol installs the handler for app', async () => {
    const electron = createFakeElectron({ baseDir: base });
    setupAppProtocol({ electron, root, getConnectOrigins: () => [], logger: createMemoryLogger() });
    const response = await electron.protocolHandlers.get('app')?.(
      new Request('app://hongyan/index.html'),
    );
    expect(response?.status).toBe(200);
  });
});

describe('serving the renderer', () => {
  it('serves index.html for / with the CSP and security headers', async () => {
    const response = await handler()(new Request('app://hongyan/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>app</title>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' https://matrix.example.gov.cn");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/crypto_bg.wasm', 'application/wasm'],
    ['assets/index.css', 'text/css; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const response = await handler()(new Request(`app://hongyan/${path}`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('serves wasm bytes unchanged (so instantiateStreaming works)', async () => {
    const response = await handler()(new Request('app://hongyan/assets/crypto_bg.wasm'));
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 4)).toEqual(
      new Uint8Array([0x00, 0x61, 0x73, 0x6d]),
    );
  });

  it('answers a missing asset with 404 and an extension-less route with the app shell', async () => {
    expect((await handler()(new Request('app://hongyan/assets/missing.js'))).status).toBe(404);
    const route = await handler()(new Request('app://hongyan/rooms/inbox'));
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>app</title>');
  });

  it('refuses other methods and other hosts', async () => {
    expect(
      (await handler()(new Request('app://hongyan/index.html', { method: 'POST', body: 'x' })))
        .status,
    ).toBe(405);
    expect((await handler()(new Request('app://evil/index.html'))).status).toBe(404);
  });

  it('maps file names to MIME types, unknown ones to octet-stream', () => {
    expect(mimeTypeFor('a.WASM')).toBe('application/wasm');
    expect(mimeTypeFor('a.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('a.exe')).toBe('application/octet-stream');
    expect(mimeTypeFor('Makefile')).toBe('application/octet-stream');
  });
});

describe('path traversal', () => {
  // Raw URLs as a page could request them; some the URL parser normalises, the rest the resolver refuses.
  const attempts = [
    'app://hongyan/../secret.txt',
    'app://hongyan/../../secret.txt',
    'app://hongyan/assets/../../secret.txt',
    'app://hongyan/%2e%2e/secret.txt',
    'app://hongyan/%2E%2E/%2e%2e/secret.txt',
    'app://hongyan/.%2e/secret.txt',
    'app://hongyan/..%2fsecret.txt',
    'app://hongyan/..%2F..%2Fsecret.txt',
    'app://hongyan/..%5csecret.txt',
    'app://hongyan/..\\secret.txt',
    'app://hongyan/assets\\..\\..\\secret.txt',
    'app://hongyan//etc/passwd',
    'app://hongyan/%2fetc%2fpasswd',
    'app://hongyan/C:%5CWindows%5Cwin.ini',
    'app://hongyan/C:/Windows/win.ini',
    'app://hongyan/index.html%00.png',
    'app://hongyan/%00',
    'app://hongyan/%E0%A4%A',
  ];

  it.each(attempts)('never serves a file outside the renderer for %s', async (url) => {
    const response = await handler()(new Request(url));
    const body = await response.text();
    expect(body).not.toContain('TOP-SECRET');
    // Either refused outright, or normalised by the URL parser into a path inside the root.
    if (response.status === 200) expect(body).toContain('<title>app</title>');
    else expect([400, 404]).toContain(response.status);
  });

  it.each([
    ['encoded slash', 'app://hongyan/..%2fsecret.txt', /separator/],
    ['encoded backslash', 'app://hongyan/..%5csecret.txt', /separator/],
    ['raw backslash', 'app://hongyan/..\\secret.txt', /backslash/],
    ['empty segment (absolute path)', 'app://hongyan//etc/passwd', /empty path segment/],
    ['drive letter', 'app://hongyan/C:%5CWindows', /colon/],
    ['NUL byte', 'app://hongyan/index.html%00.png', /control/],
    ['malformed escape', 'app://hongyan/%E0%A4%A', /percent-encoding/],
  ])('the resolver refuses a %s', (_label, url, reason) => {
    const resolved = resolveAppPath(root, url);
    expect(resolved).toMatchObject({ ok: false, status: 400 });
    if (!resolved.ok) expect(resolved.reason).toMatch(reason);
  });

  it.each([
    'app://hongyan/../secret.txt',
    'app://hongyan/.%2e/secret.txt',
    'app://hongyan/%2E%2E/%2e%2e/secret.txt',
  ])('dot segments in %s are collapsed by the URL parser and stay inside the root', (url) => {
    expect(resolveAppPath(root, url)).toEqual({ ok: true, filePath: join(root, 'secret.txt') });
  });
});

describe('Content-Security-Policy', () => {
  it('is strict and limits connect-src to the homeserver', () => {
    const csp = buildContentSecurityPolicy(['https://matrix.example.gov.cn']);
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self' 'wasm-unsafe-eval'",
      'connect-src': "'self' https://matrix.example.gov.cn",
      'img-src': "'self' blob: data:",
      'media-src': "'self' blob:",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
    });
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    expect(directives['script-src']).not.toContain('unsafe-inline');
  });

  it("allows only 'self' to connect when no homeserver is configured", () => {
    expect(buildContentSecurityPolicy([])).toContain("connect-src 'self';");
  });

  it('is computed per request, so a changed homeserver applies on the next load', async () => {
    let origins = ['https://a.example'];
    const h = createAppProtocolHandler({
      root,
      getConnectOrigins: () => origins,
      logger: createMemoryLogger(),
    });
    expect(
      (await h(new Request('app://hongyan/'))).headers.get('content-security-policy'),
    ).toContain('https://a.example');
    origins = ['https://b.example'];
    expect(
      (await h(new Request('app://hongyan/'))).headers.get('content-security-policy'),
    ).toContain('https://b.example');
  });
});
