/**
 * A small org for circular tests on a real Synapse: a province issuer and three cities with two
 * members each, plus a county under the first city whose member is no recipient of city circulars.
 * Node-only (tests, e2e, benchmarks).
 */
import { EventType, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import {
  readCircularEvent,
  type CircularEventReading,
} from '../renderer/src/circulars/circular-events';
import { applyOrgSpec } from '../admin/apply';
import type { TestHomeserver } from '../homeserver/testing';
import type { OrgSpec } from '../shared/org/spec-types';
import type { OrgView } from '../shared/org/org-view';
import { ClientManager } from '../renderer/src/matrix/client-manager';
import { waitForClient, waitForFirstSync } from '../renderer/src/matrix/wait-for';
import { readOrgView } from '../renderer/src/matrix/org-state';
import { CIRCULAR_MSGTYPE } from '../shared/matrix-types';
import { findEventBackwards } from '../renderer/src/circulars/send-raw';

/** Password of every fixture user (test data, not a secret). */
export const FIXTURE_PASSWORD = 'Fixture-Pass-1';

/** Unit codes of the fixture. */
export const UNITS = {
  province: '330000',
  city1: '330100',
  city2: '330200',
  city3: '330300',
  county: '330101',
} as const;

/** Usernames of the fixture: the issuer, two members per city and the county member. */
export const USERS = {
  issuer: 'zhang.issuer',
  c1a: 'li.c1a',
  c1b: 'wang.c1b',
  c2a: 'zhao.c2a',
  c2b: 'sun.c2b',
  c3a: 'zhou.c3a',
  c3b: 'wu.c3b',
  county: 'zheng.county',
} as const;

/** The fixture's org spec. */
export function circularTestSpec(): OrgSpec {
  const user = (
    username: string,
    displayName: string,
    unit: string,
    roles?: ('issuer' | 'member')[],
  ) => ({
    username,
    displayName,
    unit,
    password: FIXTURE_PASSWORD,
    ...(roles ? { roles } : {}),
  });
  return {
    version: 1,
    units: [
      { code: UNITS.province, name: '示范省人民政府办公厅', level: 'province' },
      { code: UNITS.city1, name: '甲市人民政府', level: 'city', parent: UNITS.province },
      { code: UNITS.city2, name: '乙市人民政府', level: 'city', parent: UNITS.province },
      { code: UNITS.city3, name: '丙市人民政府', level: 'city', parent: UNITS.province },
      { code: UNITS.county, name: '甲市东县人民政府', level: 'county', parent: UNITS.city1 },
    ],
    users: [
      user(USERS.issuer, '张发文', UNITS.province, ['issuer']),
      user(USERS.c1a, '李明', UNITS.city1),
      user(USERS.c1b, '王芳', UNITS.city1),
      user(USERS.c2a, '赵强', UNITS.city2),
      user(USERS.c2b, '孙丽', UNITS.city2),
      user(USERS.c3a, '周杰', UNITS.city3),
      user(USERS.c3b, '吴敏', UNITS.city3),
      user(USERS.county, '郑伟', UNITS.county),
    ],
  };
}

/** Provisions the fixture org on the test homeserver. */
export async function provisionCircularOrg(hs: TestHomeserver): Promise<void> {
  await applyOrgSpec({
    homeserverUrl: hs.baseUrl,
    adminToken: hs.admin.accessToken,
    spec: circularTestSpec(),
  });
}

/** A signed-in Node client (Rust crypto in memory) of a fixture user. */
export interface SignedIn {
  manager: ClientManager;
  client: MatrixClient;
}

/** Signs a fixture user in and waits for the first sync. */
export async function signInFixtureUser(hs: TestHomeserver, username: string): Promise<SignedIn> {
  const manager = new ClientManager();
  const result = await manager.login({
    homeserverUrl: hs.baseUrl,
    username,
    password: FIXTURE_PASSWORD,
    deviceDisplayName: 'test',
  });
  if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.kind}`);
  const client = await manager.start(result.credentials, { persistent: false });
  await waitForFirstSync(client);
  return { manager, client };
}

/** Waits until the client's org view knows the notice room of every given unit, and returns it. */
export function waitForOrg(client: MatrixClient, unitCodes: readonly string[]): Promise<OrgView> {
  return waitForClient(client, `the notice rooms of ${unitCodes.join(', ')}`, () => {
    const view = readOrgView(client);
    return unitCodes.every((c) => view.roomsByUnit[c]?.noticeRoomId) ? view : undefined;
  });
}

/** The copy of circular `id` in one of the client's rooms, once it arrived and decrypted. */
export function waitForCopy(
  client: MatrixClient,
  id: string,
): Promise<{ event: MatrixEvent; reading: CircularEventReading }> {
  return waitForClient(client, `circular ${id}`, () => {
    for (const room of client.getRooms()) {
      for (const event of room.getLiveTimeline().getEvents()) {
        const reading = readCircularEvent(room, event);
        if (reading?.kind === 'circular' && reading.circular.id === id) return { event, reading };
      }
    }
    return undefined;
  }).catch((err: unknown) => {
    const seen = client.getRooms().flatMap((room) =>
      room
        .getLiveTimeline()
        .getEvents()
        .filter((e) => e.getType() === EventType.RoomMessage || e.isEncrypted())
        .map((e) => ({
          room: room.name,
          type: e.getType(),
          failure: e.isDecryptionFailure(),
          reading: readCircularEvent(room, e),
        })),
    );
    throw new Error(`${String(err)}; saw ${JSON.stringify(seen)}`);
  });
}

/** The event ids of every copy of circular `circularId` in a room, read back from its history. */
export async function circularCopies(
  client: MatrixClient,
  roomId: string,
  circularId: string,
): Promise<string[]> {
  const copies: string[] = [];
  await findEventBackwards({
    client,
    roomId,
    since: 0,
    match: (e) => {
      const c = e.getContent()[CIRCULAR_MSGTYPE] as { id?: string } | undefined;
      if (c?.id === circularId) copies.push(e.getId() ?? '');
      return false;
    },
  });
  return copies;
}
