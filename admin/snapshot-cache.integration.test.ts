/**
 * The snapshot cache on a real Synapse: a plan reads again only the rooms whose summary in the admin
 * room list changed, still finds what changed there, reads afresh every room it writes to (so a
 * change the summary cannot show is found where it matters), and `refresh` reads everything.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgHomeserverForFile } from './testing/org-homeserver-for-file';
import { addSyntheticCounty, generateSyntheticProvince } from '../shared/org/synthetic-spec';
import type { PlanAction } from '../shared/org/plan-types';
import { applyOrgSpec, planOrgSpec } from './apply';
import { withSnapshotCacheFile } from './snapshot-cache';
import type { SnapshotCache } from './snapshot-cache';
import { seg, SynapseClient } from './synapse-client';

/** Generous: two cores shared with other work can make a small apply take minutes. */
const HEAVY_TEST_TIMEOUT_MS = 600_000;

const env = orgHomeserverForFile();
const { conn } = env;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hy-snapshot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Each command opens the cache file and saves it, as the CLI does. */
const withCache = <T>(run: (cache: SnapshotCache) => Promise<T>) =>
  withSnapshotCacheFile(path.join(dir, 'org-snapshot.json'), run);

const describeAction = (a: PlanAction): string =>
  a.type === 'set-state'
    ? `set-state ${a.room} ${a.eventType}`
    : `${a.type} ${'room' in a ? a.room : ''}`;

describe('the snapshot cache', () => {
  it(
    'reads again only changed rooms, and afresh every room a plan writes to',
    async () => {
      const province = generateSyntheticProvince({
        cities: 1,
        countiesPerCity: 2,
        departmentsPerCounty: 1,
        users: 16,
      });
      const admin = new SynapseClient({ baseUrl: env.hs.baseUrl, token: env.hs.admin.accessToken });
      const roomIdOf = async (alias: string): Promise<string> =>
        (
          await admin.get<{ room_id: string }>(
            `/_matrix/client/v3/directory/room/${seg(`#${alias}:${env.hs.serverName}`)}`,
          )
        ).room_id;

      await withCache((snapshotCache) =>
        applyOrgSpec({ ...conn(), spec: province, snapshotCache }),
      );

      // The apply dropped every room it wrote, so the re-apply reads them all, and writes nothing.
      const reapply = await withCache((snapshotCache) =>
        applyOrgSpec({ ...conn(), spec: province, snapshotCache }),
      );
      expect(reapply.result.writes).toBe(0);
      expect(reapply.cache.counts.cached).toBe(0);
      const rooms = reapply.cache.counts.read;
      expect(rooms).toBeGreaterThan(10);

      // Nothing changed since: a plan reads no room.
      const quiet = await withCache((snapshotCache) =>
        planOrgSpec({ ...conn(), spec: province, snapshotCache }),
      );
      expect(quiet.result.plan.actions).toEqual([]);
      expect(quiet.cache.counts).toEqual({ cached: rooms, read: 0, fresh: 0 });

      // Someone renames one room and removes a member from another; in a third room, and in the
      // city's Space, they raise an outsider's power level, which the room list does not show.
      const [county1, county2] = province.units.filter((u) => u.level === 'county');
      const city = province.units.find((u) => u.level === 'city');
      const renamed = await roomIdOf(`hy.${county1?.code}.work`);
      await admin.request('PUT', `/_matrix/client/v3/rooms/${seg(renamed)}/state/m.room.name/`, {
        body: { name: '改了名的会话' },
      });
      const member = province.users.find((u) => u.unit === county2?.code);
      const left = await roomIdOf(`hy.${county2?.code}.work`);
      const memberId = `@${member?.username}:${env.hs.serverName}`;
      await admin.request('POST', `/_matrix/client/v3/rooms/${seg(left)}/kick`, {
        body: { user_id: memberId, reason: 'test' },
      });
      await admin.request(
        'PUT',
        `/_synapse/admin/v2/users/${seg(`@mallory:${env.hs.serverName}`)}`,
        {
          body: { password: 'mallory-password-1' },
        },
      );
      const raise = async (alias: string): Promise<void> => {
        const roomId = await roomIdOf(alias);
        const path = `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.power_levels/`;
        const pl = await admin.get<{ users: Record<string, number> }>(path);
        await admin.request('PUT', path, {
          body: { ...pl, users: { ...pl.users, [`@mallory:${env.hs.serverName}`]: 100 } },
        });
      };
      await raise(`hy.${county2?.code}.space`);
      await raise(`hy.${city?.code}.space`);

      // The rename and the removal change the rooms' summaries: both rooms are read and put right.
      // The raised power level in the county's Space is not seen from the cache.
      const drifted = await withCache((snapshotCache) =>
        planOrgSpec({ ...conn(), spec: province, snapshotCache }),
      );
      await expect
        .poll(async () => {
          const again = await withCache((snapshotCache) =>
            planOrgSpec({ ...conn(), spec: province, snapshotCache }),
          );
          return again.result.plan.actions.map(describeAction).sort();
        })
        .toEqual(
          [
            `set-state hy.${county1?.code}.work m.room.name`,
            `join hy.${county2?.code}.work`,
          ].sort(),
        );
      expect(drifted.cache.counts.read).toBeLessThanOrEqual(2);

      // A county more writes a child link in the city's Space: that room is read afresh before the
      // plan is final, so its raised power level is found and put right in the same plan.
      const grown = addSyntheticCounty(province, { departments: 1, users: 4, usernamePrefix: 'n' });
      const withCounty = await withCache((snapshotCache) =>
        planOrgSpec({ ...conn(), spec: grown, snapshotCache }),
      );
      const cityActions = withCounty.result.plan.actions
        .filter(
          (a) =>
            ('room' in a ? a.room : 'parent' in a ? a.parent : '') === `hy.${city?.code}.space`,
        )
        .map(describeAction);
      expect(cityActions).toContain(`set-state hy.${city?.code}.space m.room.power_levels`);
      // Read afresh: the city's Space and the two rooms still waiting for the rename and the member.
      expect(withCounty.cache.counts.fresh).toBe(3);
      expect(
        withCounty.result.plan.actions.some(
          (a) => a.type === 'set-state' && a.room === `hy.${county2?.code}.space`,
        ),
      ).toBe(false);

      // Refresh reads every room and so finds the county Space's power level too.
      const refreshed = await withCache((snapshotCache) =>
        applyOrgSpec({ ...conn(), spec: grown, snapshotCache, refresh: true }),
      );
      expect(refreshed.cache.counts.cached).toBe(0);
      expect(refreshed.result.powerLevelRooms).toEqual(
        expect.arrayContaining([`hy.${county2?.code}.space`, `hy.${city?.code}.space`]),
      );
      const after = await withCache((snapshotCache) =>
        applyOrgSpec({ ...conn(), spec: grown, snapshotCache }),
      );
      expect(after.result.writes).toBe(0);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
