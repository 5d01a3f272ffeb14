/**
 * The org agent against a real Synapse: unit admins' requests create, move and deactivate users and
 * add units; requests outside the admin's subtree are refused with an error result, and the server
 * itself refuses a request event from a plain member and unit records from a unit admin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateInitialPassword, sealPassword } from '../../renderer/src/org-admin/seal-password';
import {
  ADMIN_AGENT_EVENT,
  ADMIN_REQUEST_EVENT,
  ADMIN_RESULT_EVENT,
  UNIT_MEMBER_STATE_EVENT,
} from '../../shared/matrix-types';
import { parseAgentKey, parseAdminResult } from '../../shared/org/admin-requests';
import type { AdminResultContent } from '../../shared/org/admin-requests';
import type { OrgSpec } from '../../shared/org/spec-types';
import { INITIAL_PASSWORD_EVENT } from '../../shared/account/initial-password';
import { AuditLog, AuditRoom } from '../audit/audit-log';
import { MatrixApiError, seg, SynapseClient } from '../synapse-client';
import { loginAs, putAdminRequest, readState, waitForResult } from './testing/agent-requests';
import { rotateAgentKey } from './agent-key';
import { orgHomeserverForFile } from '../testing/org-homeserver-for-file';
import { countiesUnderCity } from '../../testing/org-specs';

const PASSWORD = 'test-password-1';
const spec: OrgSpec = {
  version: 1,
  units: countiesUnderCity(),
  users: [
    {
      username: 'admin-a',
      displayName: '甲',
      unit: 'ka',
      roles: ['unit_admin'],
      password: PASSWORD,
    },
    { username: 'member-a', displayName: '乙', unit: 'ka', roles: ['member'], password: PASSWORD },
    { username: 'member-b', displayName: '丙', unit: 'kb', roles: ['member'], password: PASSWORD },
    {
      username: 'admin-c',
      displayName: '丁',
      unit: 'c',
      roles: ['unit_admin'],
      password: PASSWORD,
    },
  ],
};

const auditDir = mkdtempSync(path.join(tmpdir(), 'hy-agent-audit-'));
const audit = new AuditLog(path.join(auditDir, 'audit.db'));
// Registered before the homeserver's hooks, so it runs once the agent has stopped.
afterAll(() => {
  audit.close();
  rmSync(auditDir, { recursive: true, force: true });
});
const env = orgHomeserverForFile({ spec, agent: { audit } }, 180_000);
let counter = 0;
/** The initial password of the user the first test creates. */
let newUserPassword = '';

const mxid = (username: string): string => `@${username}:${env.hs.serverName}`;
const serverAdmin = (): SynapseClient =>
  new SynapseClient({ baseUrl: env.hs.baseUrl, token: env.hs.admin.accessToken });

function login(username: string, password: string): Promise<SynapseClient> {
  return loginAs(env.hs.baseUrl, username, password);
}

/** Signs a unit admin of the spec in, with the Space of the unit they file requests in. */
async function adminIn(
  username: string,
  unitCode: string,
): Promise<{ client: SynapseClient; space: string }> {
  const client = await login(username, PASSWORD);
  return { client, space: await spaceOf(client, unitCode) };
}

/** Whether the server has the account deactivated. */
async function isDeactivated(username: string): Promise<boolean> {
  const info = await serverAdmin().get<{ deactivated: boolean }>(
    `/_synapse/admin/v2/users/${seg(mxid(username))}`,
  );
  return info.deactivated;
}

async function spaceOf(client: SynapseClient, code: string): Promise<string> {
  const alias = `#hy.${code}.space:${env.hs.serverName}`;
  return (await client.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${seg(alias)}`))
    .room_id;
}

/** Sends a request and waits (long-polling sync, no sleeps) for the agent's result. */
async function request(
  client: SynapseClient,
  roomId: string,
  content: object,
  requestId = `req-${(counter += 1)}`,
): Promise<AdminResultContent> {
  await putAdminRequest(client, roomId, requestId, content);
  return waitForResult(client, roomId, requestId);
}

async function sealedFor(client: SynapseClient, roomId: string, password: string) {
  const key = parseAgentKey(await readState(client, roomId, ADMIN_AGENT_EVENT, ''));
  if (!key) throw new Error('the agent key is not published in the Space');
  return sealPassword(password, key);
}

describe('org agent', () => {
  it("creates a user in the admin's unit who can then log in", async () => {
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    const password = generateInitialPassword();
    newUserPassword = password;
    const result = await request(adminA, space, {
      action: 'create-user',
      username: 'new-user',
      displayName: '新人',
      unitCode: 'ka',
      position: '科员',
      sealedPassword: await sealedFor(adminA, space, password),
    });
    expect(result).toMatchObject({ status: 'ok' });
    const newUser = await login('new-user', password);
    const me = await newUser.get<{ user_id: string }>('/_matrix/client/v3/account/whoami');
    expect(me.user_id).toBe(mxid('new-user'));
    // Placed in the unit: its record in the Space and membership of the unit's rooms.
    expect(await readState(adminA, space, UNIT_MEMBER_STATE_EVENT, `user:${me.user_id}`)).toEqual({
      roles: ['member'],
      position: '科员',
    });
    const joined = await newUser.get<{ joined_rooms: string[] }>('/_matrix/client/v3/joined_rooms');
    expect(joined.joined_rooms).toContain(space);
  }, 120_000);

  it("refuses a request targeting another county's unit, with an error result", async () => {
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    const result = await request(adminA, space, {
      action: 'create-user',
      username: 'intruder',
      displayName: '越权',
      unitCode: 'kb',
      sealedPassword: await sealedFor(adminA, space, generateInitialPassword()),
    });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/kb.*outside ka/);
    expect(result.code).toBe('outside-subtree');
    const deact = await request(adminA, space, {
      action: 'deactivate-user',
      userId: mxid('member-b'),
    });
    expect(deact).toMatchObject({ status: 'error', message: expect.stringMatching(/outside/) });
  }, 120_000);

  it('answers a malformed request with an error naming the field', async () => {
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    const result = await request(adminA, space, {
      action: 'move-user',
      userId: 'nobody',
      toUnitCode: 'ka',
    });
    expect(result).toMatchObject({ status: 'error', message: expect.stringContaining('userId') });
  }, 60_000);

  it("has the server refuse a plain member's request event (403)", async () => {
    const member = await login('member-a', PASSWORD);
    const space = await spaceOf(member, 'ka');
    const err = await member
      .request(
        'PUT',
        `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(ADMIN_REQUEST_EVENT)}/x1`,
        {
          body: { action: 'deactivate-user', userId: mxid('admin-a') },
        },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixApiError);
    expect((err as MatrixApiError).status).toBe(403);
  }, 60_000);

  it('moves a user within the subtree, and does not rerun an answered request', async () => {
    const { client: adminC, space: citySpace } = await adminIn('admin-c', 'c');
    const move = { action: 'move-user', userId: mxid('member-a'), toUnitCode: 'kb' };
    expect(await request(adminC, citySpace, move, 'move-1')).toMatchObject({ status: 'ok' });
    const kb = await spaceOf(adminC, 'kb');
    const ka = await spaceOf(adminC, 'ka');
    const admin = serverAdmin();
    expect(await readState(admin, kb, UNIT_MEMBER_STATE_EVENT, `user:${mxid('member-a')}`)).toEqual(
      {
        roles: ['member'],
      },
    );
    expect(await readState(admin, ka, UNIT_MEMBER_STATE_EVENT, `user:${mxid('member-a')}`)).toEqual(
      {},
    );

    // Re-sending under the same id does nothing: the agent works in order, so once a later request
    // is answered, the earlier result is still the original one.
    const first = await admin.get<{ event_id?: string }>(
      `/_matrix/client/v3/rooms/${seg(citySpace)}/state/${seg(ADMIN_RESULT_EVENT)}/move-1`,
      { format: 'event' },
    );
    await adminC.request(
      'PUT',
      `/_matrix/client/v3/rooms/${seg(citySpace)}/state/${seg(ADMIN_REQUEST_EVENT)}/move-1`,
      {
        body: { ...move, toUnitCode: 'ka' },
      },
    );
    const later = await request(adminC, citySpace, {
      action: 'add-department',
      unitCode: 'kb',
      slug: 'office',
      name: '办公室',
    });
    expect(later.status).toBe('ok');
    const again = await admin.get<{ event_id?: string }>(
      `/_matrix/client/v3/rooms/${seg(citySpace)}/state/${seg(ADMIN_RESULT_EVENT)}/move-1`,
      { format: 'event' },
    );
    expect(again.event_id).toBe(first.event_id);
    expect(await readState(admin, kb, UNIT_MEMBER_STATE_EVENT, `user:${mxid('member-a')}`)).toEqual(
      {
        roles: ['member'],
      },
    );
  }, 180_000);

  it('adds a sub-unit with its Space and rooms', async () => {
    const { client: adminC, space: citySpace } = await adminIn('admin-c', 'c');
    const result = await request(adminC, citySpace, {
      action: 'add-unit',
      code: 'kc',
      name: '白云县',
      level: 'county',
      parentCode: 'c',
    });
    expect(result).toMatchObject({ status: 'ok' });
    const admin = serverAdmin();
    for (const kind of ['space', 'notice', 'work'])
      await admin.get(
        `/_matrix/client/v3/directory/room/${seg(`#hy.kc.${kind}:${env.hs.serverName}`)}`,
      );
  }, 180_000);

  it('deactivates a user, who can no longer log in', async () => {
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    const result = await request(adminA, space, {
      action: 'deactivate-user',
      userId: mxid('new-user'),
    });
    expect(result).toMatchObject({ status: 'ok' });
    const err = await login('new-user', newUserPassword).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixApiError);
    expect((err as MatrixApiError).status).toBe(403);
    expect(await isDeactivated('new-user')).toBe(true);
  }, 180_000);

  it('refuses a unit admin the unit records, and holds requests while a forged record is there', async () => {
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    const forged = `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(UNIT_MEMBER_STATE_EVENT)}/${seg(`user:${mxid('member-b')}`)}`;
    // The server refuses the unit admin: member records need the provisioning account's level.
    const refused = await adminA
      .request('PUT', forged, { body: { roles: ['member'] } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MatrixApiError);
    expect((refused as MatrixApiError).status).toBe(403);
    // A record that got there anyway (a Space from before unit admins were lowered, or a hand edit)
    // claiming someone from another county must not widen the unit admin's reach.
    const admin = serverAdmin();
    await admin.request('PUT', forged, { body: { roles: ['member'] } });
    const result = await request(adminA, space, {
      action: 'deactivate-user',
      userId: mxid('member-b'),
    });
    expect(result).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/inconsistent.*member-b/),
    });
    await admin.request('PUT', forged, { body: {} });
    expect(await isDeactivated('member-b')).toBe(false);
  }, 120_000);

  it('after a restart answers only new requests, and names a password sealed to the old key', async () => {
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    const resultPath = `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(ADMIN_RESULT_EVENT)}/req-1`;
    const before = await adminA.get<{ event_id?: string }>(resultPath, { format: 'event' });
    const staleSeal = await sealedFor(adminA, space, generateInitialPassword());

    await env.restartAgent({ audit });
    const stale = await request(adminA, space, {
      action: 'create-user',
      username: 'late-user',
      displayName: '迟到',
      unitCode: 'ka',
      sealedPassword: staleSeal,
    });
    expect(stale).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/sealed to agent key/),
    });
    const fresh = await request(adminA, space, {
      action: 'create-user',
      username: 'late-user',
      displayName: '迟到',
      unitCode: 'ka',
      sealedPassword: await sealedFor(adminA, space, 'fresh-password-1'),
    });
    expect(fresh.status).toBe('ok');
    await login('late-user', 'fresh-password-1');
    const after = await adminA.get<{ event_id?: string }>(resultPath, { format: 'event' });
    expect(after.event_id).toBe(before.event_id);
  }, 180_000);

  it('records every answered request, refusals too, and anchors the chain in the audit room', async () => {
    const entries = [...audit.entries()];
    const admin = serverAdmin();
    expect(entries).toContainEqual(
      expect.objectContaining({
        actor: mxid('admin-a'),
        action: 'agent.create-user',
        target: '@late-user in ka',
        result: 'ok',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: mxid('admin-a'), result: 'refused' }),
    );
    expect(entries.some((e) => e.detail.includes('outside-subtree'))).toBe(true);
    expect(entries.some((e) => e.action === 'agent.deactivate-user' && e.result === 'ok')).toBe(
      true,
    );
    // Nothing sealed is copied into the log.
    expect(entries.some((e) => e.detail.includes('ciphertext'))).toBe(false);
    const room = await AuditRoom.open(admin);
    // The agent anchors after each batch; wait for the batch of the last answered request.
    await expect.poll(async () => (await room.anchors()).at(-1)?.seq).toBe(audit.head()?.seq);
    expect(audit.verify(await room.anchors()).ok).toBe(true);
    // The room is encrypted and nobody else is in it.
    const members = await admin.get<{ joined: Record<string, unknown> }>(
      `/_matrix/client/v3/rooms/${seg(room.roomId)}/joined_members`,
    );
    expect(Object.keys(members.joined)).toEqual([env.hs.admin.userId]);
    const enc = await admin.get<{ algorithm: string }>(
      `/_matrix/client/v3/rooms/${seg(room.roomId)}/state/m.room.encryption/`,
    );
    expect(enc.algorithm).toBe('m.megolm.v1.aes-sha2');
  });

  it('redacts answered requests that carried a sealed password, and marks the new password as initial', async () => {
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    // req-1 created new-user in the first test: the request's state is emptied by the redaction.
    await expect
      .poll(() => readState(adminA, space, ADMIN_REQUEST_EVENT, 'req-1'), { timeout: 30_000 })
      .toEqual({});
    const request = await adminA.get<{ event_id: string }>(
      `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(ADMIN_REQUEST_EVENT)}/req-1`,
      { format: 'event' },
    );
    const event = await adminA.get<{ content: object; unsigned?: { redacted_because?: object } }>(
      `/_matrix/client/v3/rooms/${seg(space)}/event/${seg(request.event_id)}`,
    );
    expect(event.content).toEqual({});
    expect(event.unsigned?.redacted_because).toBeDefined();
    // The answer stays.
    expect(
      parseAdminResult(await readState(adminA, space, ADMIN_RESULT_EVENT, 'req-1')),
    ).toMatchObject({ status: 'ok' });
    // The agent's account and a provisioned one both carry the marker the app reads at first login.
    const lateUser = await login('late-user', 'fresh-password-1');
    for (const [client, userId] of [
      [lateUser, mxid('late-user')],
      [adminA, mxid('admin-a')],
    ] as const)
      expect(
        await client.get(
          `/_matrix/client/v3/user/${seg(userId)}/account_data/${seg(INITIAL_PASSWORD_EVENT)}`,
        ),
      ).toMatchObject({ initial: true });
  }, 60_000);

  it("never acts on a server-admin account, even one placed in the admin's subtree", async () => {
    const admin = serverAdmin();
    const target = mxid('member-b');
    await admin.request('PUT', `/_synapse/admin/v2/users/${seg(target)}`, {
      body: { admin: true },
    });
    try {
      const { client: adminC, space: citySpace } = await adminIn('admin-c', 'c');
      for (const content of [
        { action: 'set-roles', userId: target, roles: ['unit_admin'] },
        { action: 'deactivate-user', userId: target },
      ])
        expect(await request(adminC, citySpace, content)).toMatchObject({
          status: 'error',
          code: 'protected-account',
        });
      expect(await isDeactivated('member-b')).toBe(false);
    } finally {
      await admin.request('PUT', `/_synapse/admin/v2/users/${seg(target)}`, {
        body: { admin: false },
      });
    }
  }, 120_000);

  it('follows a rotated key at once, and rate-limits each requester', async () => {
    const keyFile = path.join(auditDir, 'agent-key.pem');
    await env.restartAgent({ audit, keyFile, rateLimit: { requests: 2, windowMs: 10 * 60_000 } });
    const { client: adminA, space } = await adminIn('admin-a', 'ka');
    const keyIdInSpace = async () =>
      parseAgentKey(await readState(adminA, space, ADMIN_AGENT_EVENT, ''))?.keyId;
    const before = await keyIdInSpace();
    const staleSeal = await sealedFor(adminA, space, 'Sealed-Before-1');

    const { previousKeyId, keyId } = await rotateAgentKey(keyFile);
    expect(previousKeyId).toBe(before);
    // The running agent publishes the new key on its next sync (the long poll is 2 s).
    await expect.poll(keyIdInSpace, { timeout: 30_000 }).toBe(keyId);
    const stale = await request(adminA, space, {
      action: 'create-user',
      username: 'rotated-1',
      displayName: '轮换',
      unitCode: 'ka',
      sealedPassword: staleSeal,
    });
    expect(stale).toMatchObject({ status: 'error', code: 'stale-key' });
    const fresh = await request(adminA, space, {
      action: 'create-user',
      username: 'rotated-1',
      displayName: '轮换',
      unitCode: 'ka',
      sealedPassword: await sealedFor(adminA, space, 'Sealed-After-1'),
    });
    expect(fresh.status).toBe('ok');
    await login('rotated-1', 'Sealed-After-1');

    // admin-a has used its two requests in this window: the third is refused, unrun.
    const third = await request(adminA, space, {
      action: 'add-department',
      unitCode: 'ka',
      slug: 'flood',
      name: '防汛办',
    });
    expect(third).toMatchObject({ status: 'error', code: 'rate-limited' });
    const admin = serverAdmin();
    await expect(
      admin.get(
        `/_matrix/client/v3/directory/room/${seg(`#hy.ka.dept.flood:${env.hs.serverName}`)}`,
      ),
    ).rejects.toBeInstanceOf(MatrixApiError);
    // Another requester is not held back by admin-a's flood.
    const adminC = await login('admin-c', PASSWORD);
    const other = await request(adminC, await spaceOf(adminC, 'c'), {
      action: 'move-user',
      userId: 'nobody',
      toUnitCode: 'ka',
    });
    expect(other.code).toBe('malformed');
  }, 180_000);
});
