import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoProvince, type DemoAccount } from './seed';
import { startTestHomeserver, type TestHomeserver } from './testing';

let hs: TestHomeserver;
let secretsDir: string;
let accounts: DemoAccount[];
let firstWrites: number;

beforeAll(async () => {
  hs = await startTestHomeserver();
  secretsDir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-seed-'));
  const seeded = await seedDemoProvince({
    homeserverUrl: hs.baseUrl,
    serverName: hs.serverName,
    adminToken: hs.admin.accessToken,
    credentialsFile: path.join(secretsDir, 'demo-accounts.json'),
  });
  accounts = seeded.accounts;
  firstWrites = seeded.writes;
});

afterAll(async () => {
  await hs?.dispose();
  if (secretsDir) await rm(secretsDir, { recursive: true, force: true });
});

async function login(username: string, password: string): Promise<Response> {
  return fetch(`${hs.baseUrl}/_matrix/client/v3/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: username },
      password,
    }),
  });
}

describe('demo province seeding', () => {
  it('creates a province with cities, counties and departments, an admin, issuers and members', () => {
    expect(firstWrites).toBeGreaterThan(0);
    const roles = new Set(accounts.flatMap((a) => a.roles));
    expect(roles).toEqual(new Set(['unit_admin', 'issuer', 'member']));
    const units = new Set(accounts.map((a) => a.unitCode));
    expect(units.size).toBeGreaterThanOrEqual(5);
  });

  it('gives every demo user a password that logs in through the client-server API', async () => {
    for (const account of accounts) {
      expect(account.password, `${account.username} has a recorded password`).toBeTruthy();
      const res = await login(account.username, account.password!);
      expect(res.status, `login of ${account.username}`).toBe(200);
      const body = (await res.json()) as { user_id: string };
      expect(body.user_id).toBe(account.userId);
    }
  });

  it('keeps the generated passwords in an owner-only file', async () => {
    const info = await stat(path.join(secretsDir, 'demo-accounts.json'));
    expect(info.mode & 0o077).toBe(0);
  });

  it('is idempotent: seeding again writes nothing and keeps the passwords', async () => {
    const again = await seedDemoProvince({
      homeserverUrl: hs.baseUrl,
      serverName: hs.serverName,
      adminToken: hs.admin.accessToken,
      credentialsFile: path.join(secretsDir, 'demo-accounts.json'),
    });
    expect(again.writes).toBe(0);
    expect(again.accounts).toEqual(accounts);
  });
});
