/**
 * An incremental change on a real Synapse: a county (with its departments and staff) added to a
 * province that is already provisioned. The plan lists only the new objects, and the apply writes
 * only those: no event lands in an existing room except the link from the city's Space to the new
 * county's Space.
 */
import { describe, expect, it } from 'vitest';
import { orgHomeserverForFile } from './testing/org-homeserver-for-file';
import { buildDesiredState } from '../shared/org/desired-state';
import { isAboutNewObjects, summarizePlan } from '../shared/org/plan-types';
import { addSyntheticCounty, generateSyntheticProvince } from '../shared/org/synthetic-spec';
import { applyOrgSpec, planOrgSpec } from './apply';
import { seg, SynapseClient } from './synapse-client';

/** Generous: two cores shared with other work can make a 20-unit apply take minutes. */
const HEAVY_TEST_TIMEOUT_MS = 600_000;

const env = orgHomeserverForFile();
const { conn } = env;

interface TimelineEvent {
  event_id: string;
  type: string;
  state_key?: string;
}

/** The room's events newer than `since` (an event ID), newest first; every event when undefined. */
async function eventsSince(
  client: SynapseClient,
  roomId: string,
  since: string | undefined,
): Promise<TimelineEvent[]> {
  const res = await client.get<{ chunk: TimelineEvent[] }>(
    `/_matrix/client/v3/rooms/${seg(roomId)}/messages`,
    { dir: 'b', limit: 100 },
  );
  const end = res.chunk.findIndex((e) => e.event_id === since);
  if (since !== undefined && end < 0) throw new Error(`more than 100 new events in ${roomId}`);
  return since === undefined ? res.chunk : res.chunk.slice(0, end);
}

describe('adding a county to a provisioned province', () => {
  it(
    'plans only the new objects and writes only those',
    async () => {
      const province = generateSyntheticProvince({
        cities: 2,
        countiesPerCity: 2,
        departmentsPerCounty: 2,
        users: 60,
      });
      const grown = addSyntheticCounty(province, {
        departments: 5,
        users: 30,
        usernamePrefix: 'n',
      });
      await applyOrgSpec({ ...conn(), spec: province });

      const admin = new SynapseClient({ baseUrl: env.hs.baseUrl, token: env.hs.admin.accessToken });
      const { plan, desired, snapshot } = await planOrgSpec({ ...conn(), spec: grown });
      const before = buildDesiredState({
        spec: province,
        serverName: env.hs.serverName,
        adminUserId: env.hs.admin.userId,
      });
      const newRooms = new Set([...desired.rooms.keys()].filter((a) => !before.rooms.has(a)));
      const newUsers = new Set([...desired.users.keys()].filter((u) => !before.users.has(u)));
      expect(newRooms.size).toBe(6 * 3);
      expect(newUsers.size).toBe(30);
      expect(plan.actions.filter((a) => !isAboutNewObjects(a, newRooms, newUsers))).toEqual([]);
      expect(summarizePlan(plan)).toMatchObject({
        'create-user': 30,
        'create-room': 18,
        'link-child': 18,
      });

      const latest = new Map<string, string | undefined>();
      for (const room of snapshot.rooms)
        latest.set(room.roomId, (await eventsSince(admin, room.roomId, undefined))[0]?.event_id);

      const applied = await applyOrgSpec({ ...conn(), spec: grown });
      expect(applied.summary).toEqual(summarizePlan(plan));

      // Every existing room is untouched, except the city's Space, which gains one child link.
      const countySpace = await admin.get<{ room_id: string }>(
        `/_matrix/client/v3/directory/room/${seg(`#hy.${grown.units.at(-6)?.code}.space:${env.hs.serverName}`)}`,
      );
      const citySpace = snapshot.rooms.find(
        (r) => r.alias === `hy.${province.units[1]?.code}.space`,
      );
      const written: Record<string, string[]> = {};
      for (const room of snapshot.rooms) {
        const added = await eventsSince(admin, room.roomId, latest.get(room.roomId));
        if (added.length > 0)
          written[room.alias] = added.map((e) => `${e.type} ${e.state_key ?? ''}`);
      }
      expect(written).toEqual({
        [citySpace?.alias ?? 'city space']: [`m.space.child ${countySpace.room_id}`],
      });

      expect((await applyOrgSpec({ ...conn(), spec: grown })).writes).toBe(0);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
