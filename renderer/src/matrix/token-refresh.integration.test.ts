/* eslint-disable no-restricted-imports -- an integration test runs in Node and starts the test homeserver. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType, HttpApiEvent, type MatrixClient } from 'matrix-js-sdk';
import { startTestHomeserver, type TestHomeserver } from '../../../homeserver/testing';
import { ClientManager, quietLogger, type SessionCredentials } from './client-manager';
import { waitForClient, waitForFirstSync } from './wait-for';

// A real Synapse whose refreshable access tokens live 5 s: long enough for a login and a first
// sync, short enough to watch them expire.
let hs: TestHomeserver;
const managers: ClientManager[] = [];
const PASSWORD = 'Correct-Horse-1';

beforeAll(async () => {
  hs = await startTestHomeserver({ accessTokenLifetime: '5s' });
  await hs.registerUser({ username: 'ruth', password: PASSWORD });
}, 120_000);

afterAll(async () => {
  for (const m of managers) await m.stop();
  await hs?.dispose();
});

/** What the server answers an access token: ok, or the refusal's errcode and soft_logout flag. */
async function whoami(token: string): Promise<{ ok: boolean; errcode?: string; soft?: boolean }> {
  const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/account/whoami`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.ok) return { ok: true };
  const body = (await res.json()) as { errcode?: string; soft_logout?: boolean };
  return {
    ok: false,
    ...(body.errcode ? { errcode: body.errcode } : {}),
    ...(body.soft_logout !== undefined ? { soft: body.soft_logout } : {}),
  };
}

/** Resolves when the server refuses `token` as expired (soft logout), as the app's client sees it. */
async function untilExpired(token: string): Promise<void> {
  for (;;) {
    const answer = await whoami(token);
    if (!answer.ok) {
      expect(answer).toEqual({ ok: false, errcode: 'M_UNKNOWN_TOKEN', soft: true });
      return;
    }
    // The server gives no signal of expiry; ask again shortly (bounded by the test's timeout).
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function messageIds(client: MatrixClient, roomId: string): string[] {
  return (client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [])
    .filter((e) => e.getType() === EventType.RoomMessage || e.getType() === 'm.room.encrypted')
    .map((e) => e.getId() ?? '');
}

describe('expiring access tokens', () => {
  it('keeps a session sending and syncing past expiry, and a saved session resumes after it', async () => {
    // --- A password login asks for a refresh token and gets an expiring access token. ---
    const first = new ClientManager();
    managers.push(first);
    const login = await first.login({
      homeserverUrl: hs.baseUrl,
      username: 'ruth',
      password: PASSWORD,
      deviceDisplayName: 'test',
    });
    if (!login.ok) throw new Error(`login failed: ${login.error.kind}`);
    expect(login.credentials.refreshToken).toBeTruthy();
    expect(login.credentials.accessTokenExpiresAt).toBeGreaterThan(Date.now() - 10_000);

    // What the app's saved session holds: the login's tokens, then each renewal.
    let saved: SessionCredentials = login.credentials;
    const client = await first.start(login.credentials, {
      persistent: false,
      logger: quietLogger,
      onTokensRefreshed: async (next) => {
        saved = next;
      },
    });
    await waitForFirstSync(client);
    const { room_id: roomId } = await client.createRoom({ name: 'Tokens' });

    // --- The token expires; the next send renews it and goes through, and sync brings it back. ---
    await untilExpired(login.credentials.accessToken);
    const { event_id: afterExpiry } = await client.sendTextMessage(roomId, 'after expiry');
    expect(saved.accessToken).not.toBe(login.credentials.accessToken);
    expect(saved.refreshToken).not.toBe(login.credentials.refreshToken);
    expect(client.getAccessToken()).toBe(saved.accessToken);
    expect(await whoami(saved.accessToken)).toEqual({ ok: true });
    await waitForClient(client, 'the message sent after expiry comes down the sync', () =>
      messageIds(client, roomId).includes(afterExpiry) ? true : undefined,
    );

    // --- The app closes; the saved tokens expire while it is closed. ---
    await first.stop();
    const atClose = saved;
    await untilExpired(atClose.accessToken);

    // A refresh token the server does not know (revoked, expired) ends the session: the SDK
    // reports it logged out, which the app handles as a forced sign-out.
    const revoked = new ClientManager();
    managers.push(revoked);
    const revokedClient = await revoked.start(
      { ...atClose, refreshToken: 'syr_not_a_refresh_token' },
      { persistent: false, logger: quietLogger },
    );
    const loggedOut = new Promise<unknown>((resolve) =>
      revokedClient.once(HttpApiEvent.SessionLoggedOut, resolve),
    );
    expect(await loggedOut).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    await revoked.stop();

    // --- Restarting from the saved session renews the expired token and works as before. ---
    const second = new ClientManager();
    managers.push(second);
    const restored = await second.start(atClose, {
      persistent: false,
      logger: quietLogger,
      onTokensRefreshed: async (next) => {
        saved = next;
      },
    });
    await waitForFirstSync(restored);
    expect(saved.accessToken).not.toBe(atClose.accessToken);
    await waitForClient(restored, 'the history comes down the restored sync', () =>
      restored.getRoom(roomId)?.findEventById(afterExpiry) ? true : undefined,
    );
    await restored.setRoomName(roomId, 'Tokens renewed');
    await waitForClient(restored, 'the new room name comes down the sync', () =>
      restored.getRoom(roomId)?.name === 'Tokens renewed' ? true : undefined,
    );
  }, 120_000);
});
