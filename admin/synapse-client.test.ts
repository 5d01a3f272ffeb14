import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MatrixApiError, retryAfterMs, SynapseClient } from './synapse-client';

/** A scripted HTTP endpoint: answers requests in order and records what it saw. */
async function scripted(
  answers: { status: number; body: unknown }[],
): Promise<{ url: string; seen: { method: string; url: string; auth: string }[]; server: Server }> {
  const seen: { method: string; url: string; auth: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      auth: req.headers.authorization ?? '',
    });
    const answer = answers.shift() ?? { status: 500, body: {} };
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('SynapseClient', () => {
  it('waits out a 429 and retries, counting each write the server saw, token only in the header', async () => {
    const s = await scripted([
      { status: 429, body: { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 20 } },
      { status: 200, body: { room_id: '!r:hy.test' } },
    ]);
    server = s.server;
    const client = new SynapseClient({ baseUrl: s.url, token: 'syt_secret' });
    const res = await client.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
      body: {},
    });
    expect(res.room_id).toBe('!r:hy.test');
    expect(client.writes).toBe(2);
    expect(s.seen.map((r) => r.auth)).toEqual(['Bearer syt_secret', 'Bearer syt_secret']);
    expect(s.seen.some((r) => r.url.includes('syt_secret'))).toBe(false);
  });

  it('turns an error answer into a MatrixApiError without the token', async () => {
    const s = await scripted([
      { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'not allowed' } },
    ]);
    server = s.server;
    const client = new SynapseClient({ baseUrl: s.url, token: 'syt_secret' });
    const err = await client.get('/_synapse/admin/v1/rooms').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixApiError);
    expect(err).toMatchObject({ status: 403, errcode: 'M_FORBIDDEN' });
    expect((err as Error).message).not.toContain('syt_secret');
    expect(client.writes).toBe(0);
  });
});

describe('retryAfterMs', () => {
  it('prefers retry_after_ms, then Retry-After, then one second', () => {
    const headers = (h: Record<string, string>): Pick<Response, 'headers'> => ({
      headers: new Headers(h),
    });
    expect(retryAfterMs(headers({ 'retry-after': '5' }), { retry_after_ms: 1500 })).toBe(1500);
    expect(retryAfterMs(headers({ 'retry-after': '5' }), {})).toBe(5000);
    expect(retryAfterMs(headers({}), {})).toBe(1000);
  });
});

describe('SynapseClient transport', () => {
  it('refuses to send the server-admin token over plain http beyond this machine', async () => {
    let reached = false;
    const listener = createServer((_req, res) => {
      reached = true;
      res.end('{}');
    });
    server = listener;
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    for (const baseUrl of [
      `http://matrix.gd.gov.example:${port}`,
      'http://10.20.1.10:8008',
      'ftp://127.0.0.1',
    ])
      expect(() => new SynapseClient({ baseUrl, token: 'secret-admin-token' }), baseUrl).toThrow(
        /refusing to send the server-admin token .* use https/,
      );
    expect(reached).toBe(false);
    // https anywhere, and http to loopback (a local homeserver), are fine.
    for (const baseUrl of [
      'https://matrix.gd.gov.example',
      `http://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      'http://[::1]:8008',
    ])
      expect(() => new SynapseClient({ baseUrl, token: 't' }), baseUrl).not.toThrow();
    await new SynapseClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't' }).get('/x');
    expect(reached).toBe(true);
  });
});
