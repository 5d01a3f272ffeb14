/**
 * The soak's people: an issuer at the province and one member in each of six cities, each signed in
 * with Rust crypto in memory and an outbox (as the app sends chat messages and acks), plus an
 * encrypted chat room between the issuer and the first member.
 */
import { EventType, Preset, type MatrixClient } from 'matrix-js-sdk';
import { applyOrgSpec } from '../../admin/apply';
import type { TestHomeserver } from '../../homeserver/testing';
import type { CircularDraft } from '../../renderer/src/circulars/issue';
import { FIXTURE_PASSWORD, waitForOrg } from '../../testing/org-fixture';
import { bindOutboxToSync } from '../../renderer/src/matrix/bind-outbox';
import { ClientManager, quietLogger } from '../../renderer/src/matrix/client-manager';
import { Outbox } from '../../renderer/src/matrix/outbox/outbox';
import { MemoryOutboxStore } from '../../renderer/src/matrix/outbox/outbox-store';
import { waitForClient, waitForFirstSync } from '../../renderer/src/matrix/wait-for';
import type { OrgView } from '../../shared/org/org-view';
import type { OrgSpec } from '../../shared/org/spec-types';

export const PROVINCE = '330000';
export const CITIES = ['330100', '330200', '330300', '330400', '330500', '330600'];
export const ISSUER = 'soak.issuer';
export const PASSWORD = FIXTURE_PASSWORD;

/** A signed-in user with the app's outbox bound to its sync. */
export interface Person {
  username: string;
  manager: ClientManager;
  client: MatrixClient;
  outbox: Outbox;
  unbind(): void;
}

/** Everything a round works with. */
export interface SoakOrg {
  issuer: Person;
  members: Person[];
  org: OrgView;
  chatRoomId: string;
  /** The member of a city. */
  memberOf(unitCode: string): Person | undefined;
  stop(): Promise<void>;
}

function soakSpec(): OrgSpec {
  return {
    version: 1,
    units: [
      { code: PROVINCE, name: '示范省人民政府办公厅', level: 'province' },
      ...CITIES.map((code, i) => ({
        code,
        name: `第${i + 1}市人民政府`,
        level: 'city' as const,
        parent: PROVINCE,
      })),
    ],
    users: [
      {
        username: ISSUER,
        displayName: '张发文',
        unit: PROVINCE,
        password: PASSWORD,
        roles: ['issuer'],
      },
      ...CITIES.map((unit, i) => ({
        username: `soak.m${i + 1}`,
        displayName: `成员${i + 1}`,
        unit,
        password: PASSWORD,
      })),
    ],
  };
}

/** A circular to every city. */
export function soakDraft(title: string): CircularDraft {
  return {
    title,
    docNumber: '示府办〔2026〕9号',
    issuingUnit: { code: PROVINCE, name: '示范省人民政府办公厅' },
    urgency: 'urgent',
    ackRequired: true,
    ackDeadline: Date.now() + 86_400_000,
    noForward: true,
    body: '各市人民政府：\n\n请于当日报送值班安排。',
    targets: [{ unitCode: PROVINCE, scope: 'level', level: 'city' }],
    attachments: [],
  };
}

async function signIn(hs: TestHomeserver, username: string): Promise<Person> {
  const manager = new ClientManager();
  const login = await manager.login({
    homeserverUrl: hs.baseUrl,
    username,
    password: PASSWORD,
    deviceDisplayName: 'soak',
  });
  if (!login.ok) throw new Error(`login of ${username} failed: ${login.error.kind}`);
  const client = await manager.start(login.credentials, { persistent: false, logger: quietLogger });
  await waitForFirstSync(client);
  // Quick retries: the soak restarts the homeserver every round.
  const outbox = new Outbox({
    client,
    store: new MemoryOutboxStore(),
    initialDelayMs: 200,
    maxDelayMs: 2000,
  });
  await outbox.start();
  const unbind = bindOutboxToSync(client, outbox);
  return { username, manager, client, outbox, unbind };
}

/** Provisions the org, signs everyone in and creates the chat room. */
export async function setUpSoakOrg(hs: TestHomeserver): Promise<SoakOrg> {
  await applyOrgSpec({
    homeserverUrl: hs.baseUrl,
    adminToken: hs.admin.accessToken,
    spec: soakSpec(),
  });
  const people: Person[] = [];
  const stop = async () => {
    for (const p of people) {
      p.unbind();
      p.outbox.stop();
      await p.manager.stop();
    }
  };
  try {
    const issuer = await signIn(hs, ISSUER);
    people.push(issuer);
    for (let i = 1; i <= CITIES.length; i += 1) people.push(await signIn(hs, `soak.m${i}`));
    const members = people.slice(1);
    const org = await waitForOrg(issuer.client, CITIES);
    const peer = members[0] as Person;
    const { room_id: chatRoomId } = await issuer.client.createRoom({
      preset: Preset.PrivateChat,
      invite: [peer.client.getSafeUserId()],
      initial_state: [
        {
          type: EventType.RoomEncryption,
          state_key: '',
          content: { algorithm: 'm.megolm.v1.aes-sha2' },
        },
      ],
    });
    await waitForClient(peer.client, 'the chat invite', () =>
      peer.client.getRoom(chatRoomId)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await peer.client.joinRoom(chatRoomId);
    await waitForClient(issuer.client, 'the chat peer joined', () =>
      issuer.client.getRoom(chatRoomId)?.getMember(peer.client.getSafeUserId())?.membership ===
      'join'
        ? true
        : undefined,
    );
    const memberOf = (unitCode: string) => members[CITIES.indexOf(unitCode)];
    return { issuer, members, org, chatRoomId, memberOf, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
