/**
 * The audit log covers what happens in the clients and what others change in the org's rooms, on a
 * real Synapse: a circular issued and a 催办 round through the app's controller, an ack-report
 * export, administrators' sign-ins and power-level changes are each recorded by the org agent with
 * the Matrix sender as the actor, anchored, and the chain verifies. An ordinary member who reports
 * an issue she could not have made, claims to be someone else, or signs in, leaves a refused entry
 * under her own name or none at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportAudit, reportLogin } from '../../renderer/src/audit/report-audit';
import { directAckSender } from '../../renderer/src/circulars/acknowledge';
import { CircularsController } from '../../renderer/src/circulars/circulars-controller';
import { MemoryFanOutStore } from '../../renderer/src/circulars/fan-out-store';
import { prepareCircular, type PreparedCircular } from '../../renderer/src/circulars/issue';
import { aggregateUntil } from '../../renderer/src/circulars/testing/aggregate-until';
import {
  circularCopies,
  FIXTURE_PASSWORD,
  UNITS,
  USERS,
  waitForOrg,
  type SignedIn,
} from '../../testing/org-fixture';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AUDIT_REPORT_EVENT } from '../../shared/matrix-types';
import { AuditLog, AuditRoom } from '../audit/audit-log';
import type { AuditEntry } from '../audit/chain';
import { seg, SynapseClient } from '../synapse-client';
import { circularOrgForFile } from '../../testing/circular-org-for-file';

const UNIT_ADMIN = 'qian.admin';
const CITIES = [UNITS.city1, UNITS.city2, UNITS.city3];

const auditDir = mkdtempSync(path.join(tmpdir(), 'hy-audit-coverage-'));
const audit = new AuditLog(path.join(auditDir, 'audit.db'));
// Registered before the org's hooks, so it runs after the org (and its agent) have stopped.
afterAll(() => {
  audit.close();
  rmSync(auditDir, { recursive: true, force: true });
});
const circ = circularOrgForFile(
  {
    extraUsers: [
      {
        username: UNIT_ADMIN,
        displayName: '钱管理',
        unit: UNITS.city1,
        roles: ['unit_admin'],
        password: FIXTURE_PASSWORD,
      },
    ],
    agent: { audit },
    people: [USERS.c1a],
  },
  240_000,
);
/** An ordinary member of city 1, signed in at start. */
const member = (): SignedIn => circ.people[USERS.c1a]!;

/** The first entry that matches, once the agent has recorded it. */
async function entry(match: (e: AuditEntry) => boolean): Promise<AuditEntry> {
  await expect.poll(() => [...audit.entries()].some(match), { timeout: 60_000 }).toBe(true);
  return [...audit.entries()].find(match) as AuditEntry;
}

describe('audit log coverage beyond provisioning (real Synapse, org agent)', () => {
  let prepared: PreparedCircular;

  it('records a circular issued and a 催办 round through the controller, checked against the rooms', async () => {
    const org = await waitForOrg(circ.issuer.client, CITIES);
    const store = createAppStore();
    const controller = new CircularsController({
      client: circ.issuer.client,
      store,
      fanOuts: new MemoryFanOutStore(),
      sendAck: directAckSender(circ.issuer.client),
    });
    prepared = await prepareCircular({
      client: circ.issuer.client,
      org,
      draft: {
        title: '关于报送值班表的通知',
        issuingUnit: { code: UNITS.province, name: '示范省人民政府办公厅' },
        urgency: 'normal',
        ackRequired: true,
        noForward: false,
        body: '请各市报送值班表。',
        targets: [{ unitCode: UNITS.province, scope: 'level', level: 'city' }],
        attachments: [],
      },
    });
    const id = prepared.circular.id;
    await controller.issue(prepared);
    const issued = await entry((e) => e.action === 'circular.issue' && e.target === id);
    expect(issued).toMatchObject({ actor: circ.userId(USERS.issuer), result: 'ok' });
    expect(JSON.parse(issued.detail)).toMatchObject({ rooms: 3 });
    // Neither the title nor the text reaches the log.
    expect(issued.detail).not.toContain('值班');

    const copies = await Promise.all(
      prepared.plan.entries.map(async (e) => ({
        roomId: e.roomId,
        unitCode: e.unitCode,
        eventId: (await circularCopies(circ.issuer.client, e.roomId, id))[0] ?? '',
      })),
    );
    // Six members and the unit admin of the first city.
    const aggregate = await aggregateUntil(
      circ.issuer.client,
      prepared.circular,
      copies,
      (a) => a.totals.total === 7,
    );
    store.getState().setDashboard({
      circularId: id,
      aggregate,
      updatedAt: Date.now(),
      loading: false,
      error: null,
    });
    const round = await controller.remind(id);
    const reminded = await entry((e) => e.action === 'circular.remind' && e.target === id);
    expect(reminded).toMatchObject({ actor: circ.userId(USERS.issuer), result: 'ok' });
    expect(JSON.parse(reminded.detail)).toMatchObject({ rooms: round.rooms, users: round.users });
  });

  it('records an ack-report export as the dashboard reports it', async () => {
    const rooms = prepared.plan.entries.map((e) => e.roomId);
    await reportAudit(circ.issuer.client, {
      action: 'circular.export',
      circularId: prepared.circular.id,
      rooms,
      format: 'xlsx',
      rows: 6,
    });
    const exported = await entry((e) => e.action === 'circular.export');
    expect(exported).toMatchObject({
      actor: circ.userId(USERS.issuer),
      target: prepared.circular.id,
      result: 'ok',
    });
    expect(JSON.parse(exported.detail)).toMatchObject({ format: 'xlsx', rows: 6, rooms: 3 });
  });

  it('keeps a member’s forged report under her own name, refused, whatever it claims', async () => {
    const rooms = prepared.plan.entries.map((e) => e.roomId);
    // Any Matrix client can send this to-device event; here the member's own.
    await member().client.sendToDevice(
      AUDIT_REPORT_EVENT,
      new Map([
        [
          circ.agent!.userId,
          new Map([
            [
              '*',
              {
                action: 'circular.issue',
                circularId: 'forged-1',
                rooms,
                actor: circ.issuer.client.getSafeUserId(),
              },
            ],
          ]),
        ],
      ]),
    );
    const forged = await entry((e) => e.target === 'forged-1');
    expect(forged).toMatchObject({
      actor: circ.userId(USERS.c1a),
      action: 'circular.issue',
      result: 'refused',
    });
    expect(JSON.parse(forged.detail).message).toContain('cannot post in 3 of 3 rooms');
    await member().client.sendToDevice(
      AUDIT_REPORT_EVENT,
      new Map([[circ.agent!.userId, new Map([['*', { action: 'circular.issue', rooms: 'all' }]])]]),
    );
    const malformed = await entry((e) => e.action === 'client.malformed-report');
    expect(malformed).toMatchObject({ actor: circ.userId(USERS.c1a), result: 'refused' });
    expect(JSON.parse(malformed.detail).message).toBe('circularId is missing or malformed');
  });

  it('records administrators’ sign-ins, not other users’', async () => {
    await reportLogin(member().client);
    const admin = await circ.signIn(UNIT_ADMIN);
    await reportLogin(admin.client);
    const login = await entry((e) => e.action === 'admin.login');
    expect(login).toMatchObject({ actor: circ.userId(UNIT_ADMIN), result: 'ok' });
    expect(JSON.parse(login.detail)).toMatchObject({
      device: admin.client.getDeviceId(),
      role: 'unit admin',
    });
    // Reports are handled in order: the member's came first and left nothing.
    expect([...audit.entries()].filter((e) => e.action === 'admin.login')).toHaveLength(1);
    // A device that is not the sender's own is flagged.
    await reportAudit(admin.client, { action: 'session.login', deviceId: 'NOTMINE' });
    const flagged = await entry((e) => e.action === 'admin.login' && e.detail.includes('NOTMINE'));
    expect(flagged.result).toBe('refused');
  });

  it('records a power-level change made by another server admin, with who changed to what', async () => {
    const other = await circ.hs.registerUser({ username: 'ops.admin', admin: true });
    const noticeRoom = prepared.plan.entries[0]?.roomId ?? '';
    const ops = new SynapseClient({ baseUrl: circ.hs.baseUrl, token: other.accessToken });
    await ops.request('POST', `/_synapse/admin/v1/rooms/${seg(noticeRoom)}/make_room_admin`, {
      body: { user_id: other.userId },
    });
    // The admin API invites the new room admin; joining is up to them.
    await ops.request('POST', `/_matrix/client/v3/join/${seg(noticeRoom)}`, { body: {} });
    const levelsPath = `/_matrix/client/v3/rooms/${seg(noticeRoom)}/state/m.room.power_levels/`;
    const levels = await ops.get<{ users: Record<string, number> }>(levelsPath);
    const c1a = circ.userId(USERS.c1a);
    await ops.request('PUT', levelsPath, {
      body: { ...levels, users: { ...levels.users, [c1a]: 50 } },
    });
    const changed = await entry(
      (e) => e.action === 'room.power-levels' && e.actor === other.userId,
    );
    expect(changed).toMatchObject({ target: noticeRoom, result: 'ok' });
    expect(JSON.parse(changed.detail).users).toEqual({ [c1a]: [0, 50] });
  });

  it('anchors what it recorded, and the chain verifies against the anchors', async () => {
    const room = await AuditRoom.open(
      new SynapseClient({ baseUrl: circ.hs.baseUrl, token: circ.hs.admin.accessToken }),
    );
    await expect
      .poll(async () => (await room.anchors()).at(-1)?.seq, { timeout: 60_000 })
      .toBe(audit.head()?.seq);
    expect(audit.verify(await room.anchors())).toMatchObject({ ok: true });
  });
});
