/**
 * Provisioning against a real Synapse: a first apply, an idempotent re-apply, and an apply that is
 * interrupted twice and then finished, compared with a clean apply.
 */
import { describe, expect, it } from 'vitest';
import { orgHomeserverForFile } from './testing/org-homeserver-for-file';
import type { OrgSpec } from '../shared/org/spec-types';
import { generateSyntheticProvince } from '../shared/org/synthetic-spec';
import { applyOrgSpec, exportOrgSpecFromServer, planOrgSpec } from './apply';
import { MatrixApiError, seg, SynapseClient } from './synapse-client';

/** Generous: two cores shared with other work can make a 30-unit apply take minutes. */
const HEAVY_TEST_TIMEOUT_MS = 600_000;

const env = orgHomeserverForFile();
const { conn } = env;

/** A spec reduced to comparable form: sorted, limited to one province's units and users. */
function normalise(spec: OrgSpec, codePrefix: string): unknown {
  const units = spec.units
    .filter((u) => u.code.startsWith(codePrefix))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const codes = new Set(units.map((u) => u.code));
  const users = spec.users
    .filter((u) => codes.has(u.unit))
    .map((u) => ({ ...u, roles: [...(u.roles ?? ['member'])].sort() }))
    .sort((a, b) => (a.username < b.username ? -1 : 1));
  return { units, users };
}

/** Every room on the server (the harness creates none of its own). */
async function allRooms(): Promise<
  { room_id: string; canonical_alias: string | null; encryption: string | null; version: string }[]
> {
  const admin = new SynapseClient({ baseUrl: env.hs.baseUrl, token: env.hs.admin.accessToken });
  const res = await admin.get<{
    rooms: {
      room_id: string;
      canonical_alias: string | null;
      encryption: string | null;
      version: string;
    }[];
  }>('/_synapse/admin/v1/rooms', { limit: 10_000 });
  return res.rooms;
}

describe('applyOrgSpec on a real Synapse', () => {
  const clean = generateSyntheticProvince({
    cities: 2,
    countiesPerCity: 3,
    departmentsPerCounty: 3,
    users: 100,
  });

  it(
    'provisions about 30 units and 100 users, and a re-apply makes zero writes',
    async () => {
      expect(clean.units.length).toBeGreaterThanOrEqual(27);
      const first = await applyOrgSpec({ ...conn(), spec: clean });
      expect(first.summary['create-user']).toBe(100);
      // Space, notice and work room per unit, plus the province's department room.
      expect(first.summary['create-room']).toBe(clean.units.length * 3 + 1);
      expect(first.generatedPasswords).toHaveLength(100);
      expect(normalise(await exportOrgSpecFromServer(conn()), '99')).toEqual(
        normalise(clean, '99'),
      );

      await env.hs.settle(); // the worker topology: reads on any process see the apply's writes
      const second = await applyOrgSpec({ ...conn(), spec: clean });
      expect(second.writes).toBe(0);
      expect((await planOrgSpec({ ...conn(), spec: clean })).plan.actions).toEqual([]);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it(
    'finishes an apply interrupted during room creation and again during memberships, with no duplicates',
    async () => {
      const spec = generateSyntheticProvince({
        cities: 2,
        countiesPerCity: 3,
        departmentsPerCounty: 3,
        users: 100,
        provinceCode: '980000',
        usernamePrefix: 'r',
      });
      const { plan } = await planOrgSpec({ ...conn(), spec });
      const roomsPhaseStart = plan.actions.filter((a) => a.type === 'create-user').length + 1; // +1: rate-limit override
      const membershipsStart =
        roomsPhaseStart +
        plan.actions.filter((a) => a.type === 'create-room' || a.type === 'link-child').length;

      for (const cutAt of [roomsPhaseStart + 20, membershipsStart + 60]) {
        const controller = new AbortController();
        const interrupted = applyOrgSpec({
          ...conn(),
          spec,
          signal: controller.signal,
          onWrite: (n) => {
            // Abort just after the request left, so the server may finish a write whose answer is lost.
            if (n === cutAt)
              setImmediate(() => controller.abort(new Error('interrupted by the test')));
          },
        });
        await expect(interrupted).rejects.toThrow();
      }
      const remaining = (await planOrgSpec({ ...conn(), spec })).plan.actions.length;
      expect(remaining).toBeGreaterThan(0);

      const resumed = await applyOrgSpec({ ...conn(), spec });
      expect(resumed.writes).toBeGreaterThan(0);
      await env.hs.settle();
      expect((await applyOrgSpec({ ...conn(), spec })).writes).toBe(0);

      // Same end state as a clean apply: both exports equal their specs, which differ only in codes and usernames.
      const exported = await exportOrgSpecFromServer(conn());
      expect(normalise(exported, '98')).toEqual(normalise(spec, '98'));
      expect(normalise(exported, '99')).toEqual(normalise(clean, '99'));
      // No room was created twice, even where a create was cut off mid-flight: the server holds
      // exactly the rooms of two clean provinces, each under its own alias.
      const rooms = await allRooms();
      expect(rooms).toHaveLength(2 * (clean.units.length * 3 + 1));
      expect(new Set(rooms.map((r) => r.canonical_alias)).size).toBe(rooms.length);
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it('keeps every managed room encrypted and in room version 11', async () => {
    const admin = new SynapseClient({ baseUrl: env.hs.baseUrl, token: env.hs.admin.accessToken });
    const managed = (await allRooms()).filter((r) => r.canonical_alias?.startsWith('#hy.'));
    expect(managed.length).toBe(2 * (clean.units.length * 3 + 1));
    expect(
      managed.filter((r) => r.encryption !== 'm.megolm.v1.aes-sha2' || r.version !== '11'),
    ).toEqual([]);
    const space = await admin.get<{ room_id: string }>(
      `/_matrix/client/v3/directory/room/${seg(`#hy.990000.space:${env.hs.serverName}`)}`,
    );
    const create = await admin.get<{ type?: string }>(
      `/_matrix/client/v3/rooms/${seg(space.room_id)}/state/m.room.create/`,
    );
    expect(create.type).toBe('m.space');
    // Closed to guests: Matrix reads a room without `m.room.guest_access` as forbidden.
    const guestAccess = await admin
      .get<{ guest_access?: string }>(
        `/_matrix/client/v3/rooms/${seg(space.room_id)}/state/m.room.guest_access/`,
      )
      .then(
        (ev) => ev.guest_access,
        (err: unknown) => {
          if (err instanceof MatrixApiError && err.status === 404) return 'forbidden';
          throw err;
        },
      );
    expect(guestAccess).toBe('forbidden');
  });
});
