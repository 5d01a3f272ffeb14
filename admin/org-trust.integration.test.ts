/**
 * The org's names and rooms cannot be usurped by an ordinary user, against a real Synapse: the
 * `#hy.*` aliases are refused to everyone but the provisioning account, the client well-known names
 * that account, and a room or Space with forged org state neither blocks provisioning nor gets the
 * org agent's key or answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHomeserver } from '../homeserver/testing';
import type { TestHomeserver } from '../homeserver/testing';
import {
  ADMIN_AGENT_EVENT,
  ADMIN_RESULT_EVENT,
  UNIT_ROOM_STATE_EVENT,
  UNIT_STATE_EVENT,
} from '../shared/matrix-types';
import { parseOrgWellKnown } from '../shared/org/managed-rooms';
import type { OrgSpec } from '../shared/org/spec-types';
import { applyOrgSpec, planOrgSpec } from './apply';
import { startOrgAgent, type OrgAgent } from './agent/org-agent';
import { MatrixApiError, seg, SynapseClient } from './synapse-client';
import {
  loginAs,
  putAdminRequest as putRequest,
  readState as stateOf,
  waitForResult,
} from './agent/testing/agent-requests';

const PASSWORD = 'test-password-1';
const spec: OrgSpec = {
  version: 1,
  units: [
    { code: '910000', name: '示范省', level: 'province' },
    { code: '910100', name: '东湖市', level: 'city', parent: '910000' },
  ],
  users: [
    {
      username: 'city-admin',
      displayName: '甲',
      unit: '910100',
      roles: ['unit_admin'],
      password: PASSWORD,
    },
  ],
};

let hs: TestHomeserver;
let mallory: SynapseClient;
let agent: OrgAgent | undefined;

beforeAll(async () => {
  hs = await startTestHomeserver({ bcryptRounds: 4 });
  const user = await hs.registerUser({ username: 'mallory', password: PASSWORD });
  mallory = new SynapseClient({ baseUrl: hs.baseUrl, token: user.accessToken });
}, 180_000);
afterAll(async () => {
  await agent?.stop();
  await hs?.dispose();
});

/** The HTTP status of a request that must fail (0 when it succeeded). */
async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (err) {
    if (err instanceof MatrixApiError) return err.status;
    throw err;
  }
}

/** A Space of mallory's with forged unit state for the city, created before provisioning. */
async function forgeCitySpace(): Promise<string> {
  const res = await mallory.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
    body: {
      name: '东湖市',
      creation_content: { type: 'm.space' },
      initial_state: [
        {
          type: UNIT_STATE_EVENT,
          state_key: '',
          content: { code: '910100', name: '东湖市', level: 'city', parentCode: '910000' },
        },
      ],
    },
  });
  return res.room_id;
}

describe('org names and rooms are the provisioning account’s alone', () => {
  it('names the provisioning account in the client well-known', async () => {
    const res = await fetch(`${hs.baseUrl}/.well-known/matrix/client`);
    expect(res.status).toBe(200);
    expect(parseOrgWellKnown(await res.json())).toEqual({
      ok: true,
      provisioningAccounts: [hs.admin.userId],
    });
  });

  it('refuses an ordinary user the org aliases but not other aliases', async () => {
    const squat = mallory.request('POST', '/_matrix/client/v3/createRoom', {
      body: { name: '东湖市 通知公告', room_alias_name: 'hy.910100.notice' },
    });
    expect(await statusOf(squat)).toBe(403);
    const own = await mallory.request<{ room_id: string }>(
      'POST',
      '/_matrix/client/v3/createRoom',
      {
        body: { name: 'lobby', room_alias_name: 'mallory-lobby' },
      },
    );
    expect(own.room_id).toMatch(/^!/);
    const onto = mallory.request(
      'PUT',
      `/_matrix/client/v3/directory/room/${seg(`#hy.910100.space:${hs.serverName}`)}`,
      { body: { room_id: own.room_id } },
    );
    expect(await statusOf(onto)).toBe(403);
    const publish = mallory.request(
      'PUT',
      `/_matrix/client/v3/directory/list/room/${seg(own.room_id)}`,
      { body: { visibility: 'public' } },
    );
    expect(await statusOf(publish)).toBe(403);
  });

  it('provisions the org and serves its agent although forged org rooms exist', async () => {
    const forgedSpace = await forgeCitySpace();
    await mallory.request('POST', '/_matrix/client/v3/createRoom', {
      body: {
        name: '东湖市 通知公告',
        initial_state: [
          {
            type: UNIT_ROOM_STATE_EVENT,
            state_key: '',
            content: { unitCode: '910100', kind: 'notice' },
          },
        ],
      },
    });

    const applied = await applyOrgSpec({
      homeserverUrl: hs.baseUrl,
      adminToken: hs.admin.accessToken,
      spec,
    });
    expect(applied.summary['create-room']).toBeGreaterThan(0);
    await hs.settle();
    const again = await planOrgSpec({
      homeserverUrl: hs.baseUrl,
      adminToken: hs.admin.accessToken,
      spec,
    });
    expect(again.plan.actions).toEqual([]);
    expect(again.snapshot.rooms.map((r) => r.roomId)).not.toContain(forgedSpace);

    // Mallory draws the provisioning account into her Space and files a request there.
    const admin = new SynapseClient({ baseUrl: hs.baseUrl, token: hs.admin.accessToken });
    await mallory.request('POST', `/_matrix/client/v3/rooms/${seg(forgedSpace)}/invite`, {
      body: { user_id: hs.admin.userId },
    });
    await admin.request('POST', `/_matrix/client/v3/rooms/${seg(forgedSpace)}/join`, { body: {} });
    await putRequest(mallory, forgedSpace, 'forged-1', {
      action: 'create-user',
      username: 'planted',
      displayName: '冒名',
      unitCode: '910100',
      sealedPassword: 'x',
    });

    agent = await startOrgAgent({
      homeserverUrl: hs.baseUrl,
      adminToken: hs.admin.accessToken,
      pollTimeoutMs: 2000,
    });
    await agent.ready;

    // The real unit admin is served in the real Space, twice: the second answer means every
    // request of the agent's earlier syncs, the forged one included, has been dealt with.
    const cityAdmin = await loginAs(hs.baseUrl, 'city-admin', PASSWORD);
    const realSpace = (
      await cityAdmin.get<{ room_id: string }>(
        `/_matrix/client/v3/directory/room/${seg(`#hy.910100.space:${hs.serverName}`)}`,
      )
    ).room_id;
    expect(realSpace).not.toBe(forgedSpace);
    for (const id of ['real-1', 'real-2']) {
      await putRequest(cityAdmin, realSpace, id, {
        action: 'deactivate-user',
        userId: '@nobody:x',
      });
      expect((await waitForResult(cityAdmin, realSpace, id)).status).toBeDefined();
    }
    expect(await stateOf(mallory, forgedSpace, ADMIN_RESULT_EVENT, 'forged-1')).toBeUndefined();
    expect(await stateOf(mallory, forgedSpace, ADMIN_AGENT_EVENT, '')).toBeUndefined();
    expect(await stateOf(cityAdmin, realSpace, ADMIN_AGENT_EVENT, '')).toBeDefined();
    expect(
      await statusOf(admin.get(`/_synapse/admin/v2/users/${seg(`@planted:${hs.serverName}`)}`)),
    ).toBe(404);
  }, 240_000);
});
