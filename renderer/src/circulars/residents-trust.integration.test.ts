/* eslint-disable no-restricted-imports -- an integration test runs in Node and starts the test homeserver. */
/**
 * Circulars to residents end to end, against a real Synapse and the org agent, with the app's own
 * session parts (org binder, circulars controller, store): a village's grid worker invites, a
 * resident registers with the invitation's token while their app runs and is placed in the
 * residents' rooms; the grid worker's 群众通知 reaches them trusted, they acknowledge it, and the
 * grid worker's dashboard counts it under the village's residents. Look-alikes stay untrusted.
 * What the server refuses a resident is asserted in admin/agent/resident-invites.integration.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreApi } from 'zustand';
import { orgHomeserverForFile } from '../../../admin/testing/org-homeserver-for-file';
import { residentsGroupCode } from '../../../shared/circular/residents-group';
import {
  INVITE_REQUEST_EVENT,
  RESIDENT_INVITE_EVENT,
  UNIT_ROOM_STATE_EVENT,
} from '../../../shared/matrix-types';
import { MEGOLM_ALGORITHM } from '../../../shared/org/matrix-mapping';
import type { OrgSpec } from '../../../shared/org/spec-types';
import { parseInviteRecord, type ResidentInviteRecord } from '../../../shared/residents/invites';
import { sendSpaceRequest } from '../matrix/space-request';
import { waitForClient } from '../matrix/wait-for';
import { bindOrg } from '../org/bind-org';
import { askAgentToJoin, registerWithToken } from '../residents/join-flow';
import { createAppStore, type AppState } from '../store/app-store';
import type { InvalidCircularEntry } from '../store/circulars-slice';
import { storeUntil } from '../store/testing/store-until';
import { directAckSender } from './acknowledge';
import { CircularsController } from './circulars-controller';
import { MemoryFanOutStore } from './fan-out-store';
import { sendLookAlike } from './testing/send-look-alike';
import type { CircularDraft } from './issue';
import { FIXTURE_PASSWORD, signInFixtureUser, type SignedIn } from '../../../testing/org-fixture';
import { VILLAGE_CODE, villageUnits } from '../../../testing/org-specs';

const V = VILLAGE_CODE;
const VILLAGE = '桃花村';
/** The unit a look-alike names unless it says otherwise. */
const VILLAGE_UNIT = { code: V, name: VILLAGE };
const WORKER = 'cun.wangge';
const STAFF = 'cun.yuan';
const RESIDENT = 'sun.dama';

const spec: OrgSpec = {
  version: 1,
  units: villageUnits(),
  users: [
    {
      username: WORKER,
      displayName: '赵网格',
      unit: V,
      roles: ['grid_worker'],
      password: FIXTURE_PASSWORD,
    },
    { username: STAFF, displayName: '钱村干', unit: V, password: FIXTURE_PASSWORD },
  ],
};

const server = orgHomeserverForFile({ spec, agent: true }, 180_000);

/** A signed-in user with the parts of the app's session that decide what circulars they see. */
interface Session extends SignedIn {
  store: StoreApi<AppState>;
  controller: CircularsController;
}

/** What the file started, stopped after its tests, last started first. */
const stops: (() => Promise<void> | void)[] = [];

async function signIn(username: string): Promise<SignedIn> {
  const signedIn = await signInFixtureUser(server.hs, username);
  stops.push(() => signedIn.manager.stop());
  return signedIn;
}

async function startSession(username: string): Promise<Session> {
  const signedIn = await signIn(username);
  const { client } = signedIn;
  const store = createAppStore();
  const unbind = bindOrg(client, store);
  const controller = new CircularsController({
    client,
    store,
    fanOuts: new MemoryFanOutStore(),
    sendAck: directAckSender(client),
  });
  controller.start();
  stops.push(() => {
    controller.stop();
    unbind();
  });
  return { ...signedIn, store, controller };
}

afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** The grid worker asks the agent for an invitation in the village Space; resolves to its record. */
async function createInvite(worker: Session, spaceId: string): Promise<ResidentInviteRecord> {
  await sendSpaceRequest(worker.client, spaceId, INVITE_REQUEST_EVENT, {
    action: 'create-invite',
    usesAllowed: 3,
    validHours: 24,
  });
  return waitForClient(worker.client, 'the invitation record', () => {
    const events = worker.client
      .getRoom(spaceId)
      ?.currentState.getStateEvents(RESIDENT_INVITE_EVENT);
    for (const ev of events ?? []) {
      const record = parseInviteRecord(ev.getContent());
      if (record) return record;
    }
    return undefined;
  });
}

/** The resident's inbox warning for an untrusted circular, once it is listed. */
function untrusted(session: Session, title: string): Promise<InvalidCircularEntry> {
  return storeUntil(session.store, `"${title}" listed as untrusted`, (s) =>
    // An unauthorised one carries no claimed fields; its plain-text body names the title.
    s.invalidCirculars.find((e) => e.claimed?.title === title || e.body.includes(title)),
  );
}

describe('circulars to residents', () => {
  let worker: Session;
  let resident: Session;
  let noticeRoomId = '';

  it("reach a resident placed by invitation as trusted; the resident's 签收 reaches the grid worker's dashboard", async () => {
    worker = await startSession(WORKER);
    const rooms = await storeUntil(worker.store, "the village's rooms", (s) => {
      const r = s.org?.roomsByUnit[V];
      return r?.spaceId && r.residentsNoticeRoomId ? r : undefined;
    });
    noticeRoomId = rooms.residentsNoticeRoomId ?? '';
    const record = await createInvite(worker, rooms.spaceId ?? '');

    // The join page: register with the link's token, sign in, ask the agent to be placed. The
    // resident's app runs throughout, so the residents' rooms arrive while it is running.
    expect(
      await registerWithToken(server.hs.baseUrl, {
        username: RESIDENT,
        password: FIXTURE_PASSWORD,
        token: record.token,
      }),
    ).toBeNull();
    resident = await startSession(RESIDENT);
    expect(
      await askAgentToJoin(resident.client, { descriptor: record, token: record.token }),
    ).toMatchObject({ status: 'ok', unitCode: V });

    // The resident's org view learns the notice room as the village's, and nothing of its staff.
    const view = await storeUntil(
      resident.store,
      "the residents' notice room in the org view",
      (s) => (s.org?.roomsByUnit[V]?.residentsNoticeRoomId === noticeRoomId ? s.org : undefined),
    );
    expect(view.roomsByUnit[V]?.spaceId).toBeUndefined();
    expect(view.roomsByUnit[V]?.noticeRoomId).toBeUndefined();
    expect(view.members).toEqual([]);
    expect(
      resident.client
        .getRooms()
        .filter((r) => r.getMyMembership() === 'join')
        .map((r) => r.roomId)
        .sort(),
    ).toEqual([rooms.residentsRoomId, noticeRoomId].sort());

    // The grid worker sends a 群众通知 as the app's compose does.
    const draft: CircularDraft = {
      title: '关于开展村居环境整治的通知',
      issuingUnit: { code: V, name: VILLAGE },
      urgency: 'urgent',
      ackRequired: true,
      ackDeadline: Date.now() + 86_400_000,
      noForward: false,
      body: '各位村民：\n\n本周六上午集中清理房前屋后，请签收。',
      targets: [{ unitCode: V, scope: 'residents' }],
      attachments: [],
    };
    const prepared = await worker.controller.prepare(draft);
    expect(prepared.plan.entries.map((e) => e.roomId)).toEqual([noticeRoomId]);
    await worker.controller.issue(prepared);
    const id = prepared.circular.id;

    const entry = await storeUntil(resident.store, 'the notice in the inbox', (s) =>
      s.circularInbox.find((e) => e.circular.id === id),
    );
    expect(entry).toMatchObject({ roomId: noticeRoomId, senderId: worker.client.getSafeUserId() });
    expect(resident.store.getState().invalidCirculars).toEqual([]);

    await resident.controller.acknowledge({
      roomId: entry.roomId,
      eventId: entry.eventId,
      circular: entry.circular,
      note: '收到，周六参加',
    });
    await storeUntil(resident.store, 'the own ack', (s) =>
      s.circularInbox.find((e) => e.circular.id === id && e.status === 'acknowledged'),
    );

    void worker.controller.openDashboard(id);
    const aggregate = await storeUntil(worker.store, 'the ack on the dashboard', (s) =>
      s.dashboard?.aggregate?.totals.acknowledged === 1 ? s.dashboard.aggregate : undefined,
    );
    expect(aggregate.invalidAcks).toEqual([]);
    // The village's staff are members of the room too: everyone there counts as its residents.
    expect(aggregate.recipients).toContainEqual(
      expect.objectContaining({
        userId: resident.client.getSafeUserId(),
        unitCode: residentsGroupCode(V),
        status: 'acknowledged',
        ackNote: '收到，周六参加',
      }),
    );
    worker.controller.closeDashboard();
  });

  it("stay untrusted from a look-alike room, a sender below the issuers' level, or in another unit's name", async () => {
    const staff = await signIn(STAFF);

    // A staff member with no power in the notice room: the server lets encrypted events through.
    const low = await sendLookAlike(staff, noticeRoomId, {
      title: '村干部冒发的通知',
      issuingUnit: VILLAGE_UNIT,
    });
    expect(await untrusted(resident, low.title)).toMatchObject({ kind: 'unauthorised' });

    // The grid worker holds the level, but names the township, not the village.
    const township = await sendLookAlike(worker, noticeRoomId, {
      title: '冒用镇政府名义的通知',
      issuingUnit: { code: '990121100', name: '青山镇' },
    });
    expect(await untrusted(resident, township.title)).toMatchObject({ kind: 'not_issuer' });

    // The staff member's own "群众通知" room, built to look like the village's, with the resident.
    const { room_id: fake } = await staff.client.createRoom({
      name: `${VILLAGE} 群众通知`,
      power_level_content_override: { events_default: 50 },
      initial_state: [
        { type: 'm.room.encryption', state_key: '', content: { algorithm: MEGOLM_ALGORITHM } },
        {
          type: UNIT_ROOM_STATE_EVENT,
          state_key: '',
          content: { unitCode: V, kind: 'residents_notice' },
        },
      ],
      invite: [resident.client.getSafeUserId()],
    });
    await waitForClient(resident.client, 'the invitation to the look-alike room', () =>
      resident.client.getRoom(fake)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await resident.client.joinRoom(fake);
    const forged = await sendLookAlike(staff, fake, {
      title: '请村民立即缴纳卫生费的通知',
      issuingUnit: VILLAGE_UNIT,
    });
    expect(await untrusted(resident, forged.title)).toMatchObject({ kind: 'unmanaged' });

    // None of them is in the inbox, and the real room is still the village's.
    const titles = resident.store.getState().circularInbox.map((e) => e.circular.title);
    expect(titles).toEqual(['关于开展村居环境整治的通知']);
    expect(resident.store.getState().org?.roomsByUnit[V]?.residentsNoticeRoomId).toBe(noticeRoomId);
  });
});
