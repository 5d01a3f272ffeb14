/**
 * The power-level migration of rooms provisioned when unit admins had power 100, on rooms nobody can
 * migrate by ordinary means: the stuck admin left the Space, another was deactivated. A real Synapse; the apply must recover them unattended.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { orgHomeserverForFile } from './testing/org-homeserver-for-file';
import type { OrgSpec } from '../shared/org/spec-types';
import { generateSyntheticProvince } from '../shared/org/synthetic-spec';
import { applyOrgSpec } from './apply';
import { seg, SynapseClient } from './synapse-client';

/** Generous: two cores shared with other work. */
const HEAVY_TEST_TIMEOUT_MS = 600_000;

const env = orgHomeserverForFile();
let admin: SynapseClient;
const { conn } = env;

beforeAll(async () => {
  admin = new SynapseClient({ baseUrl: env.hs.baseUrl, token: env.hs.admin.accessToken });
});

const mxid = (username: string): string => `@${username}:${env.hs.serverName}`;

async function roomId(alias: string): Promise<string> {
  const res = await admin.get<{ room_id: string }>(
    `/_matrix/client/v3/directory/room/${seg(`#${alias}:${env.hs.serverName}`)}`,
  );
  return res.room_id;
}

const plPath = (room: string): string =>
  `/_matrix/client/v3/rooms/${seg(room)}/state/m.room.power_levels/`;

/** Raises users to the provisioning account's level, as a server from before the change had them. */
async function raiseToAdminLevel(room: string, userIds: string[]): Promise<void> {
  const levels = await admin.get<{ users: Record<string, number> }>(plPath(room));
  const users = { ...levels.users };
  for (const u of userIds) users[u] = 100;
  await admin.request('PUT', plPath(room), { body: { ...levels, users } });
}

/** Acts as the user with a token from the admin login API. */
async function actAs(userId: string): Promise<string> {
  const res = await admin.request<{ access_token: string }>(
    'POST',
    `/_synapse/admin/v1/users/${seg(userId)}/login`,
    { body: {} },
  );
  return res.access_token;
}

async function members(room: string): Promise<string[]> {
  return (await admin.get<{ members: string[] }>(`/_synapse/admin/v1/rooms/${seg(room)}/members`))
    .members;
}

describe('power-level migration of orphaned rooms', () => {
  it(
    'lowers admins who left the Space or were deactivated',
    async () => {
      const base = generateSyntheticProvince({
        cities: 1,
        countiesPerCity: 1,
        departmentsPerCounty: 0,
        users: 6,
      });
      const extra = (username: string): OrgSpec['users'][number] => ({
        username,
        displayName: username,
        unit: '990000',
        roles: ['unit_admin'],
      });
      const withBoth: OrgSpec = {
        ...base,
        users: [...base.users, extra('adm.left'), extra('adm.gone')],
      };
      await applyOrgSpec({ ...conn(), spec: withBoth });

      const stayed = mxid('u00001');
      const left = mxid('adm.left');
      const gone = mxid('adm.gone');
      const space = await roomId('hy.990000.space');
      await raiseToAdminLevel(space, [stayed, left, gone]);

      // Orphan them: one admin leaves the Space, another is deactivated (and leaves every room).
      await admin.request('POST', `/_matrix/client/v3/rooms/${seg(space)}/leave`, {
        body: {},
        token: await actAs(left),
      });
      await admin.request('POST', `/_synapse/admin/v1/deactivate/${seg(gone)}`, {
        body: { erase: false },
      });
      await env.hs.settle();
      expect(await members(space)).not.toContain(left);
      // Synapse takes a deactivated user out of their rooms in the background.
      await vi.waitFor(async () => expect(await members(space)).not.toContain(gone), {
        timeout: 60_000,
        interval: 200,
      });

      // The spec no longer lists the deactivated admin (a deactivated spec user is a conflict).
      const spec: OrgSpec = {
        ...withBoth,
        users: withBoth.users.filter((u) => u.username !== 'adm.gone'),
      };
      const migrated = await applyOrgSpec({ ...conn(), spec });
      expect(migrated.powerLevelRooms).toEqual(expect.arrayContaining(['hy.990000.space']));

      const spaceLevels = (await admin.get<{ users: Record<string, number> }>(plPath(space))).users;
      expect(spaceLevels[stayed]).toBe(90);
      expect(spaceLevels[left]).toBe(90);
      expect(spaceLevels[gone]).toBeUndefined();
      expect(spaceLevels[env.hs.admin.userId]).toBe(100);

      // The admin who left is back (the spec places them there); the deactivated one is not, and stays
      // locked out.
      await env.hs.settle();
      expect(await members(space)).toContain(left);
      expect(await members(space)).not.toContain(gone);
      const goneAccount = await admin.get<{ deactivated: boolean }>(
        `/_synapse/admin/v2/users/${seg(gone)}`,
      );
      expect(goneAccount.deactivated).toBe(true);

      // Migrated for good: the next apply writes nothing.
      expect((await applyOrgSpec({ ...conn(), spec })).writes).toBe(0);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
