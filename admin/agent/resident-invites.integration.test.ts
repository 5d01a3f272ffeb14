/**
 * Residents' invitations against a real Synapse and the org agent: a grid worker's invitation is a
 * registration token that admits as many residents as it allows, until it expires or is revoked;
 * a resident lands in the community's residents' rooms only, and the server itself keeps them out
 * of the staff's Space, rooms and directory and from posting in the notice room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestHomeserver } from '../../homeserver/testing';
import {
  ACK_EVENT,
  INVITE_REQUEST_EVENT,
  RESIDENT_INVITE_EVENT,
  RESIDENT_JOIN_EVENT,
  RESIDENT_JOIN_RESULT_EVENT,
} from '../../shared/matrix-types';
import type { AdminResultContent } from '../../shared/org/admin-requests';
import type { OrgSpec } from '../../shared/org/spec-types';
import { inviteLink, parseInviteFragment } from '../../shared/residents/invite-link';
import { parseInviteRecord, parseJoinResult } from '../../shared/residents/invites';
import type { ResidentInviteRecord, ResidentJoinResult } from '../../shared/residents/invites';
import { VILLAGE_CODE, villageUnits } from '../../testing/org-specs';
import { startOrgHomeserver, type OrgHomeserver } from '../testing/org-homeserver';
import { MatrixApiError, seg, SynapseClient } from '../synapse-client';
import type { OrgAgent } from './org-agent';
import { nodeDigest } from './resident-invites';
import { readState, waitForResult } from './testing/agent-requests';

const PASSWORD = 'Test-Password-1';
const V = VILLAGE_CODE;
const spec: OrgSpec = {
  version: 1,
  units: villageUnits({ work: false }),
  users: [
    { username: 'xian.li', displayName: '李县长', unit: '990121', password: PASSWORD },
    {
      username: 'cun.zhuren',
      displayName: '陶主任',
      unit: V,
      roles: ['issuer'],
      password: PASSWORD,
    },
    {
      username: 'cun.wangge',
      displayName: '赵网格',
      unit: V,
      roles: ['grid_worker'],
      password: PASSWORD,
    },
    { username: 'cun.yuan', displayName: '钱村干', unit: V, password: PASSWORD },
  ],
};

let hs: TestHomeserver;
let agent: OrgAgent;
/** How far the agent's clock runs ahead of the real one. */
let clockAhead = 0;
let counter = 0;

let server: OrgHomeserver | undefined;

beforeAll(async () => {
  server = await startOrgHomeserver({
    homeserver: { bcryptRounds: 4 },
    spec,
    agent: { now: () => Date.now() + clockAhead },
  });
  hs = server.hs;
  agent = server.agent!;
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

const anon = (): SynapseClient =>
  new SynapseClient({ baseUrl: hs.baseUrl, token: '', maxRetries: 0 });

async function login(username: string): Promise<SynapseClient> {
  const res = await anon().request<{ access_token: string }>('POST', '/_matrix/client/v3/login', {
    body: {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: username },
      password: PASSWORD,
    },
  });
  return new SynapseClient({ baseUrl: hs.baseUrl, token: res.access_token, maxRetries: 0 });
}

/**
 * Registers through the client API's interactive auth with a registration token, as the app does.
 * Resolves to the new account's client, or rejects with the HTTP status of the refusal.
 */
async function register(username: string, token: string): Promise<SynapseClient> {
  const body = { username, password: PASSWORD, initial_device_display_name: 'phone' };
  const post = async (auth?: object) => {
    const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(auth ? { ...body, auth } : body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  let res = await post();
  const session = res.json.session as string;
  res = await post({ type: 'm.login.registration_token', token, session });
  if (
    res.status === 401 &&
    (res.json.completed as string[] | undefined)?.includes('m.login.registration_token')
  )
    res = await post({ type: 'm.login.dummy', session });
  if (res.status !== 200)
    throw new MatrixApiError(
      'POST',
      '/register',
      res.status,
      res.json.errcode as string,
      String(res.json.error ?? ''),
    );
  return new SynapseClient({
    baseUrl: hs.baseUrl,
    token: res.json.access_token as string,
    maxRetries: 0,
  });
}

async function roomOf(client: SynapseClient, kind: string): Promise<string> {
  const alias = `#hy.${V}.${kind}:${hs.serverName}`;
  return (await client.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${seg(alias)}`))
    .room_id;
}

/** Files an invitation request and waits (long-polling sync) for the agent's result. */
async function inviteRequest(client: SynapseClient, content: object): Promise<AdminResultContent> {
  const space = await roomOf(client, 'space');
  const requestId = `invite-${(counter += 1)}`;
  await client.request(
    'PUT',
    `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(INVITE_REQUEST_EVENT)}/${requestId}`,
    { body: content },
  );
  return waitForResult(client, space, requestId);
}

async function inviteRecord(
  client: SynapseClient,
  message: string,
): Promise<[string, ResidentInviteRecord]> {
  const inviteId = /invitation (inv-\S+)/.exec(message)?.[1] ?? '';
  const record = parseInviteRecord(
    await readState(client, await roomOf(client, 'space'), RESIDENT_INVITE_EVENT, inviteId),
  );
  if (!record) throw new Error(`no record for ${inviteId}`);
  return [inviteId, record];
}

/** Asks the agent to place the client's account by token; waits for its to-device answer. */
async function askToJoin(client: SynapseClient, token: string): Promise<ResidentJoinResult> {
  let since = (await client.get<{ next_batch: string }>('/_matrix/client/v3/sync', { timeout: 0 }))
    .next_batch;
  await client.request(
    'PUT',
    `/_matrix/client/v3/sendToDevice/${seg(RESIDENT_JOIN_EVENT)}/join-${(counter += 1)}`,
    { body: { messages: { [agent.userId]: { '*': { token } } } } },
  );
  for (let i = 0; i < 30; i += 1) {
    const res = await client.get<{
      next_batch: string;
      to_device?: { events?: { type: string; content: unknown }[] };
    }>('/_matrix/client/v3/sync', { since, timeout: 5000 });
    since = res.next_batch;
    for (const ev of res.to_device?.events ?? [])
      if (ev.type === RESIDENT_JOIN_RESULT_EVENT) {
        const result = parseJoinResult(ev.content);
        if (result?.token === token) return result;
      }
  }
  throw new Error('no answer from the org agent');
}

async function refusedWith(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    if (err instanceof MatrixApiError) return err.status;
    throw err;
  }
}

describe('residents invitations', () => {
  let token = '';
  let inviteId = '';
  let resident: SynapseClient;

  it('lets a grid worker create an invitation whose link shows the community and binds it', async () => {
    const worker = await login('cun.wangge');
    const result = await inviteRequest(worker, {
      action: 'create-invite',
      usesAllowed: 2,
      validHours: 24,
    });
    expect(result.status, result.message).toBe('ok');
    const [id, record] = await inviteRecord(worker, result.message);
    inviteId = id;
    token = record.token;
    expect(record).toMatchObject({
      unitCode: V,
      unitName: '桃花村',
      contact: '赵网格',
      usesAllowed: 2,
      joinedCount: 0,
    });
    const link = inviteLink('https://app.example/', { descriptor: record, token });
    const parsed = await parseInviteFragment(new URL(link).hash, nodeDigest);
    expect(parsed.ok && parsed.invite.descriptor.unitName).toBe('桃花村');
    // Changing what the page shows breaks the binding to the token.
    const altered = link.replace(encodeURIComponent('桃花村'), encodeURIComponent('杏花村'));
    expect(await parseInviteFragment(new URL(altered).hash, nodeDigest)).toEqual({
      ok: false,
      problem: 'altered',
    });
  });

  it('refuses invitation requests from a plain member, on the server and in the agent', async () => {
    const member = await login('cun.yuan');
    const space = await roomOf(member, 'space');
    expect(
      await refusedWith(
        member.request(
          'PUT',
          `/_matrix/client/v3/rooms/${seg(space)}/state/${seg(INVITE_REQUEST_EVENT)}/x`,
          {
            body: { action: 'create-invite', usesAllowed: 1, validHours: 1 },
          },
        ),
      ),
    ).toBe(403);
    // An issuer has the power level to file one, but not the role.
    const issuer = await login('cun.zhuren');
    const refused = await inviteRequest(issuer, {
      action: 'create-invite',
      usesAllowed: 1,
      validHours: 1,
    });
    expect(refused).toMatchObject({ status: 'error', code: 'not-unit-admin' });
  });

  it('admits a resident who registers with the token into the residents rooms only', async () => {
    resident = await register('resident.one', token);
    const result = await askToJoin(resident, token);
    expect(result).toMatchObject({ status: 'ok', unitCode: V, unitName: '桃花村' });
    const joined = (
      await resident.get<{ joined_rooms: string[] }>('/_matrix/client/v3/joined_rooms')
    ).joined_rooms;
    const residentsRooms = [
      await roomOf(resident, 'residents'),
      await roomOf(resident, 'residents_notice'),
    ];
    expect(joined.sort()).toEqual(residentsRooms.sort());
    // Asking again (a second device) is no second use.
    expect((await askToJoin(resident, token)).status).toBe('ok');
    const worker = await login('cun.wangge');
    expect((await inviteRecord(worker, `invitation ${inviteId}`))[1].joinedCount).toBe(1);
  });

  it('keeps the resident out of the staff Space, rooms and directory, and from posting notices', async () => {
    const space = await roomOf(resident, 'space');
    const staffNotice = await roomOf(resident, 'notice');
    const notice = await roomOf(resident, 'residents_notice');
    const chat = await roomOf(resident, 'residents');
    expect(
      await refusedWith(
        resident.request('POST', `/_matrix/client/v3/join/${seg(space)}`, { body: {} }),
      ),
    ).toBe(403);
    expect(
      await refusedWith(
        resident.request('POST', `/_matrix/client/v3/join/${seg(staffNotice)}`, { body: {} }),
      ),
    ).toBe(403);
    expect(await refusedWith(resident.get(`/_matrix/client/v3/rooms/${seg(space)}/state`))).toBe(
      403,
    );
    // The notice room: no circulars, no state, no invitations; an acknowledgment is allowed.
    const send = (room: string, type: string, content: object) =>
      resident.request(
        'PUT',
        `/_matrix/client/v3/rooms/${seg(room)}/send/${seg(type)}/t${(counter += 1)}`,
        { body: content },
      );
    expect(
      await refusedWith(send(notice, 'm.room.message', { msgtype: 'm.text', body: '收到' })),
    ).toBe(403);
    expect(await refusedWith(send(notice, ACK_EVENT, { note: '已签收' }))).toBeUndefined();
    expect(
      await refusedWith(
        resident.request('PUT', `/_matrix/client/v3/rooms/${seg(notice)}/state/m.room.name/`, {
          body: { name: '假' },
        }),
      ),
    ).toBe(403);
    expect(
      await refusedWith(
        resident.request('POST', `/_matrix/client/v3/rooms/${seg(chat)}/invite`, {
          body: { user_id: `@xian.li:${hs.serverName}` },
        }),
      ),
    ).toBe(403);
    // Chat in the residents room is open to them.
    expect(
      await refusedWith(
        send(chat, 'm.room.message', { msgtype: 'm.text', body: '请问几点开会？' }),
      ),
    ).toBeUndefined();
    // The directory finds only people they share a room with: the village staff, not the county's.
    const search = async (term: string) =>
      (
        await resident.request<{ results: { user_id: string }[] }>(
          'POST',
          '/_matrix/client/v3/user_directory/search',
          {
            body: { search_term: term, limit: 50 },
          },
        )
      ).results.map((r) => r.user_id);
    expect(await search('李县长')).toEqual([]);
    expect(await search('xian')).toEqual([]);
    // The directory is updated in the background after the join: ask until it has caught up.
    let found: string[] = [];
    for (let i = 0; i < 20 && found.length === 0; i += 1) {
      found = await search('cun.wangge');
      if (found.length === 0) await resident.get('/_matrix/client/v3/sync', { timeout: 500 });
    }
    expect(found).toEqual([`@cun.wangge:${hs.serverName}`]);
  });

  it('stops at the allowed number of uses', async () => {
    const second = await register('resident.two', token);
    expect((await askToJoin(second, token)).status).toBe('ok');
    // Both places are taken: Synapse refuses a third registration, the agent a third account.
    expect(await refusedWith(register('resident.three', token))).toBe(401);
    const existing = await login('xian.li');
    expect(await askToJoin(existing, token)).toMatchObject({
      status: 'error',
      code: 'used-up',
      contact: '赵网格',
      unitName: '桃花村',
    });
  });

  it('stops at expiry', async () => {
    const worker = await login('cun.wangge');
    const result = await inviteRequest(worker, {
      action: 'create-invite',
      usesAllowed: 5,
      validHours: 1,
    });
    const [, record] = await inviteRecord(worker, result.message);
    // Two hours later, by the agent's clock and by Synapse's (whose expiry is moved to the past).
    clockAhead = 2 * 3_600_000;
    await new SynapseClient({ baseUrl: hs.baseUrl, token: hs.admin.accessToken }).request(
      'PUT',
      `/_synapse/admin/v1/registration_tokens/${seg(record.token)}`,
      { body: { expiry_time: Date.now() + 200 } },
    );
    // Synapse takes no expiry in the past: it gets one just ahead, and the test waits it out.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await refusedWith(register('resident.late', record.token))).toBe(401);
    expect(await askToJoin(await login('xian.li'), record.token)).toMatchObject({
      status: 'error',
      code: 'expired',
    });
    clockAhead = 0;
  });

  it('stops when revoked, and refuses forged tokens', async () => {
    const worker = await login('cun.wangge');
    const created = await inviteRequest(worker, {
      action: 'create-invite',
      usesAllowed: 5,
      validHours: 24,
    });
    const [id, record] = await inviteRecord(worker, created.message);
    const revoked = await inviteRequest(worker, { action: 'revoke-invite', inviteId: id });
    expect(revoked.status, revoked.message).toBe('ok');
    expect((await inviteRecord(worker, `invitation ${id}`))[1].revokedAt).toBeTypeOf('number');
    expect(await refusedWith(register('resident.revoked', record.token))).toBe(401);
    const someone = await login('xian.li');
    expect(await askToJoin(someone, record.token)).toMatchObject({
      status: 'error',
      code: 'revoked',
    });
    const forged = `${record.token.slice(0, 17)}${'A'.repeat(32)}`;
    expect(await refusedWith(register('resident.forged', forged))).toBe(401);
    expect(await askToJoin(someone, forged)).toMatchObject({ status: 'error', code: 'unknown' });
  });

  it('rate-limits an account that keeps presenting bad tokens', async () => {
    const someone = await login('xian.li');
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const r = await askToJoin(someone, `${'B'.repeat(16)}.${String(i).padStart(32, 'C')}`);
      codes.push(r.status === 'error' ? r.code : 'ok');
    }
    // Earlier tests left four refusals (used-up, expired, revoked, unknown) for this account.
    expect(codes[0]).toBe('unknown');
    expect(codes.at(-1)).toBe('rate-limited');
  });
});
