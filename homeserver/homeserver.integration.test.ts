import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KitError } from './errors';
import { instancePaths } from './paths';
import { isPortFree, isProcessAlive } from './process-utils';
import { startTestHomeserver } from './testing';
import type { TestHomeserver } from './testing';

let hs: TestHomeserver;

beforeAll(async () => {
  hs = await startTestHomeserver();
});
afterAll(async () => {
  await hs?.dispose();
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<Reply> {
  const res = await fetch(`${hs.baseUrl}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
    },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a kit homeserver', () => {
  it('lets a user registered through the admin API log in with a password', async () => {
    const alice = await hs.registerUser({
      username: 'alice',
      password: 'correct horse battery',
      displayName: '张三',
    });
    expect(alice.userId).toBe(`@alice:${hs.serverName}`);
    const login = await call('POST', '/_matrix/client/v3/login', {
      body: {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: 'alice' },
        password: 'correct horse battery',
      },
    });
    expect(login.status).toBe(200);
    expect(login.body.user_id).toBe(alice.userId);
    const whoami = await call('GET', '/_matrix/client/v3/account/whoami', {
      token: String(login.body.access_token),
    });
    expect(whoami.body.user_id).toBe(alice.userId);
  });

  it('refuses to register a taken name', async () => {
    await hs.registerUser({ username: 'bob' });
    await expect(hs.registerUser({ username: 'bob' })).rejects.toMatchObject({
      code: 'user-exists',
    });
    await expect(hs.registerUser({ username: 'bob' })).rejects.toBeInstanceOf(KitError);
  });

  it('has open registration off: every way to register needs a registration token', async () => {
    const res = await call('POST', '/_matrix/client/v3/register', {
      body: { username: 'mallory', password: 'Mallory-Passw0rd', auth: { type: 'm.login.dummy' } },
    });
    expect(res.status).toBe(401);
    const flows = (res.body.flows ?? []) as { stages: string[] }[];
    expect(flows.length).toBeGreaterThan(0);
    for (const flow of flows) expect(flow.stages).toContain('m.login.registration_token');
    const session = res.body.session as string;
    const forged = await call('POST', '/_matrix/client/v3/register', {
      body: {
        username: 'mallory',
        password: 'Mallory-Passw0rd',
        auth: { type: 'm.login.registration_token', token: 'made-up', session },
      },
    });
    expect(forged.status).toBe(401);
    expect(forged.body.errcode).toBe('M_UNAUTHORIZED');
  });

  it('encrypts a room created without any encryption state, in room version 11', async () => {
    const carol = await hs.registerUser({ username: 'carol' });
    const created = await call('POST', '/_matrix/client/v3/createRoom', {
      token: carol.accessToken,
      body: { name: 'plain request' },
    });
    expect(created.status).toBe(200);
    const roomId = encodeURIComponent(String(created.body.room_id));
    const encryption = await call(
      'GET',
      `/_matrix/client/v3/rooms/${roomId}/state/m.room.encryption/`,
      { token: carol.accessToken },
    );
    expect(encryption.status).toBe(200);
    expect(encryption.body.algorithm).toBe('m.megolm.v1.aes-sha2');
    const create = await call('GET', `/_matrix/client/v3/rooms/${roomId}/state/m.room.create/`, {
      token: carol.accessToken,
    });
    expect(create.body.room_version).toBe('11');
  });

  it('does not track presence', async () => {
    const dave = await hs.registerUser({ username: 'dave' });
    const path = `/_matrix/client/v3/presence/${encodeURIComponent(dave.userId)}/status`;
    await call('PUT', path, {
      token: dave.accessToken,
      body: { presence: 'online', status_msg: '在岗' },
    });
    const read = await call('GET', path, { token: dave.accessToken });
    expect(read.body.presence).toBe('offline');
    expect(read.body.status_msg).toBeUndefined();
  });

  it('serves no URL previews', async () => {
    const res = await call(
      'GET',
      `/_matrix/client/v1/media/preview_url?url=${encodeURIComponent('http://127.0.0.1/')}`,
      { token: hs.admin.accessToken },
    );
    expect(res.status).toBe(404);
    expect(res.body.errcode).toBe('M_UNRECOGNIZED');
  });

  it('hides profiles and directory entries from users who share no room', async () => {
    const erin = await hs.registerUser({ username: 'erin', displayName: 'Erin' });
    const frank = await hs.registerUser({ username: 'frank' });
    const profile = await call(
      'GET',
      `/_matrix/client/v3/profile/${encodeURIComponent(erin.userId)}`,
      { token: frank.accessToken },
    );
    expect(profile.status).toBe(403);
    const anonymous = await call(
      'GET',
      `/_matrix/client/v3/profile/${encodeURIComponent(erin.userId)}`,
    );
    expect(anonymous.status).toBe(401);
    const search = await call('POST', '/_matrix/client/v3/user_directory/search', {
      token: frank.accessToken,
      body: { search_term: 'erin' },
    });
    expect(search.body.results).toEqual([]);

    // Once they share a room, the profile is visible: the limit is sharing, not a blanket ban.
    const room = await call('POST', '/_matrix/client/v3/createRoom', {
      token: erin.accessToken,
      body: { invite: [frank.userId] },
    });
    await call('POST', `/_matrix/client/v3/join/${encodeURIComponent(String(room.body.room_id))}`, {
      token: frank.accessToken,
      body: {},
    });
    const shared = await call(
      'GET',
      `/_matrix/client/v3/profile/${encodeURIComponent(erin.userId)}`,
      { token: frank.accessToken },
    );
    expect(shared.status).toBe(200);
    expect(shared.body.displayname).toBe('Erin');
  });

  it('serves the admin API to the admin only, on a loopback-only listener', async () => {
    const version = await call('GET', '/_synapse/admin/v1/server_version', {
      token: hs.admin.accessToken,
    });
    expect(version.status).toBe(200);
    const user = await hs.registerUser({ username: 'grace' });
    const listUsers = await call('GET', '/_synapse/admin/v2/users', { token: user.accessToken });
    expect(listUsers.status).toBe(403);
    // The only socket listening on the port is bound to 127.0.0.1 (/proc/net/tcp, state 0A = LISTEN).
    const port = Number(new URL(hs.baseUrl).port).toString(16).toUpperCase().padStart(4, '0');
    const listening = (await readFile('/proc/net/tcp', 'utf8'))
      .split('\n')
      .filter((l) => / 0A /.test(l) && l.includes(`:${port} `));
    expect(listening.map((l) => l.trim().split(/\s+/)[1])).toEqual([`0100007F:${port}`]);
    const listening6 = (await readFile('/proc/net/tcp6', 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => / 0A /.test(l) && l.includes(`:${port} `));
    expect(listening6).toEqual([]);
  });

  it('points at its SQLite file and media store for leak checks', () => {
    expect(hs.databasePath && existsSync(hs.databasePath)).toBe(true);
    expect(hs.mediaStorePath.startsWith(hs.dataDir)).toBe(true);
  });

  it('stops without leaving a process or a bound port, and starts again with its data', async () => {
    const pid = Number((await readFile(instancePaths(hs.dataDir).pidFile, 'utf8')).trim());
    expect(isProcessAlive(pid)).toBe(true);
    await hs.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(await isPortFree('127.0.0.1', Number(new URL(hs.baseUrl).port))).toBe(true);
    await expect(fetch(`${hs.baseUrl}/_matrix/client/versions`)).rejects.toThrow();

    await hs.start();
    const whoami = await call('GET', '/_matrix/client/v3/account/whoami', {
      token: hs.admin.accessToken,
    });
    expect(whoami.body.user_id).toBe(hs.admin.userId);
  });
});
