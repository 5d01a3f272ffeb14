import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../homeserver/admin-api';
import { demoAccountsFile, readDemoAccounts, type DemoAccount } from '../homeserver/demo-accounts';
import { openInstance, type HomeserverInstance } from '../homeserver/instance';
import { KIT_DIR } from '../homeserver/paths';
import { startTestHomeserver, type TestHomeserver } from '../homeserver/testing';
import { runSeed, seedDemoProvince } from './seed-demo';

let hs: TestHomeserver;
let instance: HomeserverInstance;
let accounts: DemoAccount[];
let firstLog: string[];

/** `start`'s seeding step, with its output collected. */
async function seedAsStartDoes(): Promise<string[]> {
  const lines: string[] = [];
  await runSeed({
    instance,
    admin: hs.admin,
    registerUser: (opts) => registerUser(instance, opts),
    log: (line) => lines.push(line),
  });
  return lines;
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  instance = await openInstance(hs.dataDir);
  firstLog = await seedAsStartDoes();
  accounts = (await readDemoAccounts(demoAccountsFile(instance.paths))).accounts ?? [];
});

afterAll(async () => {
  await hs?.dispose();
});

async function api<T>(method: string, route: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${hs.baseUrl}/_matrix/client/v3${route}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function login(
  username: string,
  password: string,
): Promise<{ user_id: string; access_token: string }> {
  return api('POST', '/login', undefined, {
    type: 'm.login.password',
    identifier: { type: 'm.id.user', user: username },
    password,
  });
}

/** Runs `npm run hs -- accounts` on the test instance. */
function accountsCommand(): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const repo = path.dirname(KIT_DIR);
    const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');
    const entry = path.join(repo, 'scripts', 'hs.ts');
    const child = spawn(tsx, [entry, 'accounts', '--data-dir', hs.dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('demo province seeding', () => {
  it('creates a province with cities, counties and departments, an admin, issuers and members', () => {
    expect(firstLog.join('\n')).toMatch(/Demo province seeded \([1-9]\d* writes\)/);
    const roles = new Set(accounts.flatMap((a) => a.roles));
    expect(roles).toEqual(new Set(['unit_admin', 'issuer', 'member', 'grid_worker']));
    const units = new Set(accounts.map((a) => a.unitCode));
    expect(units.size).toBeGreaterThanOrEqual(5);
  });

  it('prints every demo password on the first start', () => {
    const printed = firstLog.join('\n');
    for (const account of accounts) expect(printed).toContain(account.password);
  });

  it('gives every demo user a password that logs in through the client-server API', async () => {
    for (const account of accounts) {
      expect(account.password, `${account.username} has a recorded password`).toBeTruthy();
      const body = await login(account.username, account.password!);
      expect(body.user_id).toBe(account.userId);
    }
  });

  it("keeps the accounts with each one's unit, roles and password in an owner-only file", async () => {
    const file = demoAccountsFile(instance.paths);
    expect((await stat(file)).mode & 0o077).toBe(0);
    const admin = accounts.find((a) => a.username === 'sfs.admin');
    expect(admin).toMatchObject({ unitName: '示范省', roles: ['unit_admin'] });
    expect(admin?.password).toBeTruthy();
  });

  it('is idempotent when applied again: no writes, the same accounts and passwords', async () => {
    const again = await seedDemoProvince({
      homeserverUrl: hs.baseUrl,
      serverName: hs.serverName,
      adminToken: hs.admin.accessToken,
      credentialsFile: demoAccountsFile(instance.paths),
    });
    expect(again.writes).toBe(0);
    expect(again.accounts).toEqual(accounts);
  });

  it('does not seed again on later starts: changes made since stay, and no password is printed', async () => {
    const member = accounts.find((a) => a.roles.includes('member'))!;
    const session = await login(member.username, member.password!);
    await api(
      'PUT',
      `/profile/${encodeURIComponent(member.userId)}/displayname`,
      session.access_token,
      {
        displayname: '改过的名字',
      },
    );
    const { joined_rooms: rooms } = await api<{ joined_rooms: string[] }>(
      'GET',
      '/joined_rooms',
      hs.admin.accessToken,
    );
    const room = rooms[0]!;
    await api('PUT', `/rooms/${encodeURIComponent(room)}/state/m.room.name`, hs.admin.accessToken, {
      name: '改过的房间名',
    });

    const again = (await seedAsStartDoes()).join('\n');
    expect(again).toContain('npm run hs -- accounts');
    for (const account of accounts) expect(again).not.toContain(account.password);

    const profile = await api<{ displayname: string }>(
      'GET',
      `/profile/${encodeURIComponent(member.userId)}`,
      session.access_token,
    );
    expect(profile.displayname).toBe('改过的名字');
    const name = await api<{ name: string }>(
      'GET',
      `/rooms/${encodeURIComponent(room)}/state/m.room.name`,
      hs.admin.accessToken,
    );
    expect(name.name).toBe('改过的房间名');
  });

  it('prints the accounts on request with `npm run hs -- accounts`', async () => {
    const { code, stdout } = await accountsCommand();
    expect(code).toBe(0);
    for (const account of accounts) {
      expect(stdout).toContain(account.username);
      expect(stdout).toContain(account.password);
    }
    expect(stdout).toContain('单位管理员');
  });
});
