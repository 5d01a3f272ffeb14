/**
 * What provisioning promises about access, checked against a real Synapse with the demo province:
 * the server (not the app) keeps units apart and notice rooms read-only for members; deprovisioned
 * users are locked out; moved users end up in exactly their new unit's rooms; unit admins may file
 * requests but not rewrite their unit's records or power levels.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { orgHomeserverForFile } from './testing/org-homeserver-for-file';
import {
  ACK_EVENT,
  ADMIN_REQUEST_EVENT,
  UNIT_MEMBER_STATE_EVENT,
  UNIT_ROOM_STATE_EVENT,
  UNIT_STATE_EVENT,
} from '../shared/matrix-types';
import type { OrgSpec } from '../shared/org/spec-types';
import { applyOrgSpec, exportOrgSpecFromServer } from './apply';
import { loadOrgSpec } from './spec-files';
import { MatrixApiError, seg, SynapseClient } from './synapse-client';
import { deprovisionUser, moveUser } from './user-lifecycle';

const env = orgHomeserverForFile();
let spec: OrgSpec;
let admin: SynapseClient;
const passwords = new Map<string, string>();
const { conn } = env;

beforeAll(async () => {
  admin = new SynapseClient({ baseUrl: env.hs.baseUrl, token: env.hs.admin.accessToken });
  spec = await loadOrgSpec({
    specPath: path.join(import.meta.dirname, '../homeserver/demo/province.yaml'),
  });
  const result = await applyOrgSpec({ ...conn(), spec });
  for (const p of result.generatedPasswords) passwords.set(p.userId, p.password);
}, 600_000); // generous: seeding the province on two busy cores can take minutes

const mxid = (username: string): string => `@${username}:${env.hs.serverName}`;
/** The n-th user of a unit with a role, from the demo spec. */
function userOf(unit: string, role: 'unit_admin' | 'issuer' | 'member', n = 0): string {
  const found = spec.users.filter((u) => u.unit === unit && (u.roles ?? ['member']).includes(role))[
    n
  ];
  if (!found) throw new Error(`the demo province has no ${role} #${n} in ${unit}`);
  return mxid(found.username);
}

async function login(userId: string): Promise<SynapseClient> {
  const anon = new SynapseClient({ baseUrl: env.hs.baseUrl, token: '' });
  const res = await anon.request<{ access_token: string }>('POST', '/_matrix/client/v3/login', {
    body: {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: userId },
      password: passwords.get(userId),
    },
  });
  return new SynapseClient({ baseUrl: env.hs.baseUrl, token: res.access_token });
}

async function roomId(alias: string): Promise<string> {
  return (
    await admin.get<{ room_id: string }>(
      `/_matrix/client/v3/directory/room/${seg(`#${alias}:${env.hs.serverName}`)}`,
    )
  ).room_id;
}

async function joinedRooms(userId: string): Promise<string[]> {
  return (
    await admin.get<{ joined_rooms: string[] }>(
      `/_synapse/admin/v1/users/${seg(userId)}/joined_rooms`,
    )
  ).joined_rooms.sort();
}

let txn = 0;
function send(
  client: SynapseClient,
  room: string,
  type: string,
  content: Record<string, unknown>,
): Promise<{ event_id: string }> {
  txn += 1;
  return client.request('PUT', `/_matrix/client/v3/rooms/${seg(room)}/send/${seg(type)}/t${txn}`, {
    body: content,
  });
}

/** The error status the server answered with, or 200. */
async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof MatrixApiError) return err.status;
    throw err;
  }
}

describe('access control provisioned on a real Synapse', () => {
  it('seeds the demo province idempotently', async () => {
    expect(passwords.size).toBe(spec.users.length);
    expect((await applyOrgSpec({ ...conn(), spec })).writes).toBe(0);
  });

  it('lets a county user into their own rooms only: the server refuses another county', async () => {
    const user = userOf('990121', 'member');
    const own = await Promise.all(['space', 'notice', 'work'].map((k) => roomId(`hy.990121.${k}`)));
    expect(await joinedRooms(user)).toEqual(expect.arrayContaining(own));
    const client = await login(user);
    for (const kind of ['space', 'notice', 'work']) {
      const other = await roomId(`hy.990122.${kind}`);
      expect(
        await statusOf(
          client.request('POST', `/_matrix/client/v3/join/${seg(other)}`, { body: {} }),
        ),
      ).toBe(403);
    }
    expect(await joinedRooms(user)).not.toContain(await roomId('hy.990122.work'));
  });

  it('admits ancestors only where the spec allows it', async () => {
    const cityMember = await login(userOf('990100', 'member'));
    // 东湖市教育局 sets allowAncestors; 青山县 does not.
    expect(
      await statusOf(
        cityMember.request(
          'POST',
          `/_matrix/client/v3/join/${seg(await roomId('hy.990100-jyj.work'))}`,
          { body: {} },
        ),
      ),
    ).toBe(200);
    expect(
      await statusOf(
        cityMember.request(
          'POST',
          `/_matrix/client/v3/join/${seg(await roomId('hy.990121.work'))}`,
          { body: {} },
        ),
      ),
    ).toBe(403);
    // The next apply does not evict a member who may be there.
    expect((await applyOrgSpec({ ...conn(), spec })).writes).toBe(0);
  });

  it('keeps notice rooms read-only for members, who can still acknowledge', async () => {
    const notice = await roomId('hy.990121.notice');
    const member = await login(userOf('990121', 'member'));
    const issuer = await login(userOf('990121', 'issuer'));
    const provinceIssuer = await login(userOf('990000', 'issuer'));
    const text = { msgtype: 'm.text', body: '关于做好防汛工作的通知' };
    expect(await statusOf(send(member, notice, 'm.room.message', text))).toBe(403);
    const circular = await send(issuer, notice, 'm.room.message', text);
    expect(circular.event_id).toMatch(/^\$/);
    // Issuers reach down: the province's issuer may post into a county's notice room.
    expect(await statusOf(send(provinceIssuer, notice, 'm.room.message', text))).toBe(200);
    const ack = {
      'm.relates_to': { rel_type: 'm.reference', event_id: circular.event_id },
      [ACK_EVENT]: { circularId: 'c1' },
    };
    expect(await statusOf(send(member, notice, ACK_EVENT, ack))).toBe(200);
    const reaction = {
      'm.relates_to': { rel_type: 'm.annotation', event_id: circular.event_id, key: '👍' },
    };
    expect(await statusOf(send(member, notice, 'm.reaction', reaction))).toBe(200);
    expect(
      await statusOf(
        member.request(
          'POST',
          `/_matrix/client/v3/rooms/${seg(notice)}/receipt/m.read/${seg(circular.event_id)}`,
          { body: {} },
        ),
      ),
    ).toBe(200);
    // In the work room everyone may post.
    expect(
      await statusOf(send(member, await roomId('hy.990121.work'), 'm.room.message', text)),
    ).toBe(200);
  });

  it('lets a unit admin file requests in their Space, and refuses them its records and power levels', async () => {
    const unitAdmin = userOf('990000', 'unit_admin');
    const client = await login(unitAdmin);
    const space = await roomId('hy.990000.space');
    const notice = await roomId('hy.990000.notice');
    const state = (room: string, type: string, key: string, content: object): Promise<unknown> =>
      client.request(
        'PUT',
        `/_matrix/client/v3/rooms/${seg(room)}/state/${seg(type)}/${seg(key)}`,
        { body: content },
      );
    expect(await statusOf(state(space, ADMIN_REQUEST_EVENT, 'probe-1', {}))).toBe(200);
    const member = await login(userOf('990000', 'member'));
    expect(
      await statusOf(
        member.request(
          'PUT',
          `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(ADMIN_REQUEST_EVENT)}/probe-2`,
          { body: {} },
        ),
      ),
    ).toBe(403);

    const unitRecord = await admin.get<Record<string, unknown>>(
      `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(UNIT_STATE_EVENT)}/`,
    );
    const levels = await admin.get<{ users: Record<string, number> }>(
      `/_matrix/client/v3/rooms/${seg(space)}/state/m.room.power_levels/`,
    );
    expect(levels.users[unitAdmin]).toBe(90);
    const outsider = userOf('990121', 'member');
    const refused: [string, string, string, object][] = [
      [space, UNIT_STATE_EVENT, '', { ...unitRecord, code: '990100' }],
      [space, UNIT_MEMBER_STATE_EVENT, `user:${outsider}`, { roles: ['member'] }],
      [space, 'm.room.power_levels', '', { ...levels, users: { ...levels.users, [outsider]: 90 } }],
      [space, 'm.space.child', notice, { via: [env.hs.serverName] }],
      [space, 'm.room.join_rules', '', { join_rule: 'public' }],
      [notice, UNIT_ROOM_STATE_EVENT, '', { unitCode: '990100', kind: 'notice' }],
      [notice, 'm.room.join_rules', '', { join_rule: 'public' }],
    ];
    for (const [room, type, key, content] of refused)
      expect(await statusOf(state(room, type, key, content)), type).toBe(403);
    expect(
      await admin.get(`/_matrix/client/v3/rooms/${seg(space)}/state/${seg(UNIT_STATE_EVENT)}/`),
    ).toEqual(unitRecord);
  });

  it('moves unit admins still at the admin level down to their level on the next apply', async () => {
    // A Space provisioned when unit admins had power 100: the provisioning account cannot lower a
    // peer, so the apply has the unit admin lower their own entry first.
    const unitAdmin = userOf('990000', 'unit_admin');
    const space = await roomId('hy.990000.space');
    const path = `/_matrix/client/v3/rooms/${seg(space)}/state/m.room.power_levels/`;
    const levels = await admin.get<{ users: Record<string, number> }>(path);
    await admin.request('PUT', path, {
      body: { ...levels, users: { ...levels.users, [unitAdmin]: 100 } },
    });
    const migrated = await applyOrgSpec({ ...conn(), spec });
    expect(migrated.summary['set-state']).toBe(1);
    expect((await admin.get<{ users: Record<string, number> }>(path)).users[unitAdmin]).toBe(90);
    const client = await login(unitAdmin);
    expect(
      await statusOf(
        client.request(
          'PUT',
          `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(UNIT_STATE_EVENT)}/`,
          {
            body: { code: '990100', name: '伪造', level: 'city' },
          },
        ),
      ),
    ).toBe(403);
    expect((await applyOrgSpec({ ...conn(), spec })).writes).toBe(0);
  });

  it('moves a user: new unit rooms only, with the power level of the new role', async () => {
    const user = userOf('990221', 'member');
    const result = await moveUser({ ...conn(), user, to: '990222', roles: ['issuer'] });
    expect(result.from).toBe('990221');
    const expected = await Promise.all(
      ['space', 'notice', 'work'].map((k) => roomId(`hy.990222.${k}`)),
    );
    expect(await joinedRooms(user)).toEqual([...expected].sort());
    const pl = await admin.get<{ users: Record<string, number> }>(
      `/_matrix/client/v3/rooms/${seg(await roomId('hy.990222.notice'))}/state/m.room.power_levels/`,
    );
    expect(pl.users[user]).toBe(50);
    const oldPl = await admin.get<{ users: Record<string, number> }>(
      `/_matrix/client/v3/rooms/${seg(await roomId('hy.990221.notice'))}/state/m.room.power_levels/`,
    );
    expect(oldPl.users[user]).toBeUndefined();
    const exported = await exportOrgSpecFromServer(conn());
    expect(exported.users.find((u) => mxid(u.username) === user)).toMatchObject({
      unit: '990222',
      roles: ['issuer'],
    });
    const client = await login(user);
    expect(
      await statusOf(
        send(client, expected[1] as string, 'm.room.message', {
          msgtype: 'm.text',
          body: '新岗位报到',
        }),
      ),
    ).toBe(200);
  });

  it('deprovisions a leaver: no rooms, no sessions, no login', async () => {
    const user = userOf('990122', 'member');
    const session = await login(user);
    const result = await deprovisionUser({ ...conn(), user });
    expect(result.removedFrom.length).toBeGreaterThanOrEqual(3);
    expect(await joinedRooms(user)).toEqual([]);
    expect(await statusOf(session.get('/_matrix/client/v3/account/whoami'))).toBe(401);
    const relogin = await statusOf(login(user));
    expect(relogin).toBe(403);
    const exported = await exportOrgSpecFromServer(conn());
    expect(exported.users.some((u) => mxid(u.username) === user)).toBe(false);
  });
});
