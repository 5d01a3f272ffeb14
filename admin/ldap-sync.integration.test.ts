/**
 * The staff directory end to end: a real slapd with a small directory of the demo province, a real
 * Synapse signing people in through matrix-synapse-ldap3, and `sync-ldap` following the directory
 * as people join, move, are disabled and leave.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type RunningSlapd } from '../homeserver/identity/slapd';
import { startTestHomeserver, type TestHomeserver } from '../homeserver/testing';
import { exportOrgSpecFromServer, type OrgConnection } from './apply';
import { applyLdapSync, DirectorySyncError, planLdapSync, type DirectorySource } from './ldap-sync';
import { SynapseClient } from './synapse-client';

let slapd: RunningSlapd;
let ldap: Client;
let hs: TestHomeserver;
let conn: OrgConnection;
let directory: DirectorySource;
let admin: SynapseClient;
let tmp: string;

/** Runs `npm run admin -- …` as an operator would, the directory named by environment variables. */
async function adminCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'admin/cli.ts', ...args],
    {
      env: {
        ...process.env,
        HONGYAN_HOMESERVER: hs.baseUrl,
        HONGYAN_ADMIN_TOKEN: hs.admin.accessToken,
        HONGYAN_AUDIT_DB: path.join(tmp, 'audit.db'),
        HONGYAN_LDAP_URI: slapd.uri,
        HONGYAN_LDAP_BASE: units(),
      },
    },
  );
  return stdout;
}

const units = () => `ou=units,${slapd.suffix}`;
const unitDn = (...codes: string[]) => [...codes.map((c) => `ou=${c}`), units()].join(',');

async function addUnit(code: string, name: string, level: string, ...parents: string[]) {
  await ldap.add(unitDn(code, ...parents), {
    objectClass: 'organizationalUnit',
    ou: code,
    description: name,
    businessCategory: level,
  });
}

async function addPerson(
  uid: string,
  name: string,
  unitPath: string[],
  extra: Record<string, string> = {},
) {
  await ldap.add(`uid=${uid},${unitDn(...unitPath)}`, {
    objectClass: 'inetOrgPerson',
    uid,
    cn: name,
    sn: name.slice(0, 1),
    userPassword: `ldap-pass-${uid}`,
    ...extra,
  });
}

async function passwordLogin(user: string, password: string) {
  const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user },
      password,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function unitOf(username: string): Promise<string | undefined> {
  const spec = await exportOrgSpecFromServer(conn);
  return spec.users.find((u) => u.username === username)?.unit;
}

const userPath = (username: string) =>
  `/_synapse/admin/v2/users/${encodeURIComponent(`@${username}:${hs.serverName}`)}`;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hongyan-ldap-test-'));
  slapd = await startSlapd();
  ldap = new Client({ url: slapd.uri });
  await ldap.bind(slapd.rootDn, slapd.rootPassword);
  await ldap.add(slapd.suffix, {
    objectClass: ['dcObject', 'organization'],
    dc: 'demo',
    o: '示范省',
  });
  await ldap.add(units(), { objectClass: 'organizationalUnit', ou: 'units' });
  await addUnit('990000', '示范省', 'province');
  await addUnit('990100', '东湖市', 'city', '990000');
  await addUnit('990102', '东湖区', 'county', '990100', '990000');
  await addPerson('zhangsan', '张三', ['990100', '990000'], { businessCategory: 'issuer' });
  await addPerson('lisi', '李四', ['990000']);
  await addPerson('wangwu', '王五', ['990102', '990100', '990000']);
  directory = { uri: slapd.uri, base: units() };
  hs = await startTestHomeserver({
    ldap: { uri: slapd.uri, base: units(), filter: '(!(employeeType=disabled))' },
  });
  conn = { homeserverUrl: hs.baseUrl, adminToken: hs.admin.accessToken };
  admin = new SynapseClient({ baseUrl: hs.baseUrl, token: hs.admin.accessToken });
});

afterAll(async () => {
  await ldap?.unbind().catch(() => undefined);
  await hs?.dispose();
  await slapd?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the staff directory (LDAP)', () => {
  it('previews the first sync without writing anything', async () => {
    const planned = await planLdapSync({ ...conn, directory });
    const created = planned.plan.actions.filter((a) => a.type === 'create-user');
    expect(created.map((a) => ('userId' in a ? a.userId : '')).sort()).toEqual(
      ['lisi', 'wangwu', 'zhangsan'].map((u) => `@${u}:${hs.serverName}`),
    );
    expect(
      (
        await fetch(`${hs.baseUrl}${userPath('zhangsan')}`, {
          headers: { authorization: `Bearer ${hs.admin.accessToken}` },
        })
      ).status,
    ).toBe(404);
  });

  it('provisions everyone into their unit, idempotently', async () => {
    const first = await applyLdapSync({ ...conn, directory });
    expect(first.writes).toBeGreaterThan(0);
    expect(await unitOf('zhangsan')).toBe('990100');
    expect(await unitOf('wangwu')).toBe('990102');
    const again = await applyLdapSync({ ...conn, directory });
    expect(again.writes).toBe(0);
  });

  it('runs from the admin CLI: a preview with nothing to do, and SSO subjects linked', async () => {
    expect(await adminCli('sync-ldap', '--plan', '--summary')).not.toContain('create-user');
    expect(await adminCli('sync-ldap', '--link-sso')).toContain(
      'No changes: the server already follows the directory.\n3 single sign-on subject(s) linked.',
    );
    const user = await admin.get<{
      external_ids: { auth_provider: string; external_id: string }[];
    }>(userPath('zhangsan'));
    expect(user.external_ids).toEqual([
      { auth_provider: 'oidc-province', external_id: 'zhangsan' },
    ]);
  });

  it('signs people in with their directory password', async () => {
    const ok = await passwordLogin('zhangsan', 'ldap-pass-zhangsan');
    expect(ok.status).toBe(200);
    expect(ok.body['user_id']).toBe(`@zhangsan:${hs.serverName}`);
    expect((await passwordLogin('zhangsan', 'wrong')).status).toBe(403);
  });

  it('adds a person who joins and moves a person who moves', async () => {
    await addPerson('zhaoliu', '赵六', ['990102', '990100', '990000']);
    await ldap.modifyDN(
      `uid=wangwu,${unitDn('990102', '990100', '990000')}`,
      `uid=wangwu,${unitDn('990100', '990000')}`,
    );
    const planned = await planLdapSync({ ...conn, directory });
    expect(
      planned.plan.actions.some((a) => a.type === 'kick' && a.userId.startsWith('@wangwu')),
    ).toBe(true);
    await applyLdapSync({ ...conn, directory });
    expect(await unitOf('zhaoliu')).toBe('990102');
    expect(await unitOf('wangwu')).toBe('990100');
    const joined = await admin.get<{ joined_rooms: string[] }>(
      `/_synapse/admin/v1/users/${encodeURIComponent(`@wangwu:${hs.serverName}`)}/joined_rooms`,
    );
    const aliases = await Promise.all(
      joined.joined_rooms.map(async (roomId) => {
        const state = await admin.get<{ alias?: string }>(
          `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.canonical_alias`,
        );
        return state.alias ?? '';
      }),
    );
    expect(aliases.some((a) => a.includes('990102'))).toBe(false);
    expect(aliases.some((a) => a.includes('990100'))).toBe(true);
  });

  it('cuts off a disabled person: signed out, out of every room, deactivated', async () => {
    const session = await passwordLogin('lisi', 'ldap-pass-lisi');
    expect(session.status).toBe(200);
    const token = String(session.body['access_token']);
    await ldap.modify(
      `uid=lisi,${unitDn('990000')}`,
      new Change({
        operation: 'add',
        modification: new Attribute({ type: 'employeeType', values: ['disabled'] }),
      }),
    );
    const planned = await planLdapSync({ ...conn, directory });
    expect(planned.disabled).toEqual(['lisi']);
    expect(planned.plan.actions).toContainEqual({
      type: 'deactivate-user',
      userId: `@lisi:${hs.serverName}`,
    });
    await applyLdapSync({ ...conn, directory });
    const whoami = await fetch(`${hs.baseUrl}/_matrix/client/v3/account/whoami`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(whoami.status).toBe(401);
    const user = await admin.get<{ deactivated: boolean }>(userPath('lisi'));
    expect(user.deactivated).toBe(true);
    expect((await passwordLogin('lisi', 'ldap-pass-lisi')).status).toBe(403);
  });

  it('deactivates a person removed from the directory', async () => {
    await ldap.del(`uid=zhaoliu,${unitDn('990102', '990100', '990000')}`);
    await applyLdapSync({ ...conn, directory });
    expect((await admin.get<{ deactivated: boolean }>(userPath('zhaoliu'))).deactivated).toBe(true);
  });

  it('refuses a directory with a malformed entry, naming it, and applies nothing', async () => {
    await addPerson('sunqi', '孙七', ['990100', '990000']);
    await ldap.add(`uid=Bad.Name,${unitDn('990100', '990000')}`, {
      objectClass: 'inetOrgPerson',
      uid: 'Bad.Name',
      cn: '坏名字',
      sn: '坏',
    });
    const err = await applyLdapSync({ ...conn, directory }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectorySyncError);
    expect((err as Error).message).toContain(`uid=Bad.Name,${unitDn('990100', '990000')} uid:`);
    const sunqi = await fetch(`${hs.baseUrl}${userPath('sunqi')}`, {
      headers: { authorization: `Bearer ${hs.admin.accessToken}` },
    });
    expect(sunqi.status).toBe(404);
  });
});
