/**
 * The demo's single sign-on: the kit's own `start` (with the demo province seeded) picks up the
 * stand-in platform's settings, and a demo account signs in through it with its demo password.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../homeserver/admin-api';
import { readDemoAccounts, demoAccountsFile } from '../homeserver/demo-accounts';
import { ssoBrowse } from '../homeserver/identity/sso-browser';
import { OIDC_AUTH_PROVIDER } from '../homeserver/identity/synapse-identity';
import { openInstance } from '../homeserver/instance';
import { instancePaths } from '../homeserver/paths';
import { findFreePort } from '../homeserver/process-utils';
import { startSsoDemo, type SsoDemo } from './sso-demo';

const APP = 'http://127.0.0.1:9/';
let dataDir: string;
let homeserverUrl: string;
let demo: SsoDemo;

function kit(...args: string[]) {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/hs.ts', ...args, '--data-dir', dataDir],
    { encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`hs ${args[0]} failed: ${res.stderr}`);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-sso-demo-'));
  const port = await findFreePort('127.0.0.1');
  homeserverUrl = `http://127.0.0.1:${port}`;
  demo = await startSsoDemo({
    dataDir,
    homeserverUrl,
    appRedirectUrls: [APP],
    port: await findFreePort('127.0.0.1'),
  });
  kit('start', '--port', String(port), '--relaxed-rate-limits');
});

afterAll(async () => {
  await demo?.stop();
  if (dataDir) {
    spawnSync(process.execPath, [
      '--import',
      'tsx',
      'scripts/hs.ts',
      'stop',
      '--data-dir',
      dataDir,
    ]);
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe('the demo identity platform', () => {
  it('signs a seeded demo account in by SSO with its demo password', async () => {
    const admin = await ensureAdmin(await openInstance(dataDir));
    const enrolled = await demo.enrolDemoAccounts(admin.accessToken);
    expect(enrolled).toBeGreaterThan(10);
    const { accounts = [] } = await readDemoAccounts(demoAccountsFile(instancePaths(dataDir)));
    const someone = accounts.find((a) => a.password);
    if (!someone?.password) throw new Error('no demo account with a password');
    const outcome = await ssoBrowse({
      homeserverUrl,
      idpId: OIDC_AUTH_PROVIDER,
      redirectUrl: APP,
      username: someone.username,
      password: someone.password,
    });
    expect(outcome.kind).toBe('token');
  });

  it('removes its Synapse settings when it stops', async () => {
    await demo.stop();
    expect(existsSync(path.join(instancePaths(dataDir).confDir, '50-sso-demo.yaml'))).toBe(false);
  });
});
