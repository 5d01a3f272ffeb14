/**
 * The population of the load benchmark on one homeserver: an issuing office in every unit's
 * encrypted room, N staff accounts spread over the units (each with its own access token), the
 * first of them signed in as full app clients (Rust crypto), the rest as bare HTTP sync clients.
 */
import { ClientEvent, MatrixEventEvent, type MatrixEvent } from 'matrix-js-sdk';
import type { TestHomeserver } from '../../homeserver/testing';
import { waitForClient } from '../../renderer/src/matrix/wait-for';
import { BENCH_PASSWORD, signInBenchUser, type BenchUser } from '../chat-helpers';
import { api, createUnitRoom } from '../light-clients';
import { runBounded } from '../../shared/concurrency';
import { CrowdClient } from './crowd-client';
import type { DeliveryTracker } from './delivery';

/** One staff member: an account in one unit's room. */
export interface Member {
  userId: string;
  roomIndex: number;
  /** Set for the bare HTTP clients. */
  crowd?: CrowdClient;
  /** Set for the full app clients. */
  app?: BenchUser;
}

/** Everything the measurement needs. */
export interface Population {
  issuer: BenchUser;
  roomIds: string[];
  members: Member[];
  /** Members of each room (without the issuer). */
  roomMembers: string[][];
  stop(): Promise<void>;
}

/** Creates one encrypted unit room per unit code (see {@link unitRoomBody}); returns their ids in order. */
async function createUnitRooms(
  hs: TestHomeserver,
  issuer: { userId: string; accessToken: string },
  codes: readonly string[],
  opts: { kind: string; name: (code: string) => string; powerLevels?: Record<string, number> },
): Promise<string[]> {
  const roomIds: string[] = [];
  await runBounded({
    items: codes,
    concurrency: 8,
    fn: async (code, i) => {
      roomIds[i] = await createUnitRoom(
        hs,
        issuer,
        { unitCode: code, kind: opts.kind, name: opts.name(code) },
        opts.powerLevels,
      );
    },
  });
  return roomIds;
}

/** Reports every event an app client receives: cleartext at once, encrypted once decrypted. */
function watchAppClient(user: BenchUser, tracker: DeliveryTracker): void {
  const me = user.client.getSafeUserId();
  const note = (e: MatrixEvent): void => {
    const id = e.getId();
    if (id && !e.isDecryptionFailure()) tracker.sighted(me, id, Date.now());
  };
  user.client.on(ClientEvent.Event, (e) => {
    if (!e.isEncrypted()) note(e);
  });
  user.client.on(MatrixEventEvent.Decrypted, note);
}

/** Registers, joins and signs in everyone; the crowd has done its initial sync when this returns. */
export async function populate(params: {
  hs: TestHomeserver;
  clients: number;
  appClients: number;
  perRoom: number;
  tracker: DeliveryTracker;
  log: (line: string) => void;
}): Promise<Population> {
  const { hs, clients, appClients, perRoom, tracker, log } = params;
  const started = performance.now();
  const issuerReg = await hs.registerUser({ username: 'load.issuer', password: BENCH_PASSWORD });
  const roomCount = Math.ceil(clients / perRoom);
  const roomIds = await createUnitRooms(
    hs,
    issuerReg,
    Array.from({ length: roomCount }, (_, i) => `u${i}`),
    { kind: 'work', name: (code) => `单位 ${code} 工作群` },
  );
  const members: Member[] = Array.from({ length: clients }, (_, i) => ({
    userId: '',
    roomIndex: Math.floor(i / perRoom),
  }));
  const tokens: string[] = [];
  await runBounded({
    items: members,
    concurrency: 6,
    fn: async (m, i) => {
      const user = await hs.registerUser({
        username: `load.${String(i).padStart(5, '0')}`,
        password: BENCH_PASSWORD,
      });
      m.userId = user.userId;
      tokens[i] = user.accessToken;
      // The admin join API: the invite and the join without a round trip per user.
      await api(
        hs,
        hs.admin.accessToken,
        'POST',
        `/_synapse/admin/v1/join/${encodeURIComponent(roomIds[m.roomIndex] ?? '')}`,
        {
          user_id: user.userId,
        },
      );
    },
  });
  log(
    `set-up: ${roomCount} encrypted unit rooms, ${clients} accounts registered and joined (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );

  const issuer = await signInBenchUser(hs, 'load.issuer');
  await waitForClient(
    issuer.client,
    'every unit room',
    () =>
      roomIds.every((id) => issuer.client.getRoom(id)?.getMyMembership() === 'join')
        ? true
        : undefined,
    600_000,
  );
  await runBounded({
    items: members.slice(0, appClients),
    concurrency: 2,
    fn: async (m) => {
      m.app = await signInBenchUser(hs, m.userId.slice(1).split(':')[0] ?? '');
      watchAppClient(m.app, tracker);
    },
  });
  await runBounded({
    items: members.slice(appClients),
    concurrency: 16,
    fn: async (m, i) => {
      const crowd = new CrowdClient(
        m.userId,
        hs.baseUrl,
        tokens[i + appClients] ?? '',
        (eventId, at) => tracker.sighted(m.userId, eventId, at),
      );
      await crowd.start();
      m.crowd = crowd;
    },
  });
  log(
    `set-up: ${appClients} app clients (Rust crypto) and ${clients - appClients} bare HTTP clients syncing (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  const roomMembers = roomIds.map((_, r) =>
    members.filter((m) => m.roomIndex === r).map((m) => m.userId),
  );
  return {
    issuer,
    roomIds,
    members,
    roomMembers,
    async stop() {
      await Promise.all(members.map((m) => m.crowd?.stop()));
      for (const m of members) await m.app?.manager.stop();
      await issuer.manager.stop();
    },
  };
}
