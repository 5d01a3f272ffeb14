/* eslint-disable no-restricted-imports -- an integration test runs in Node: it reads the server's files and starts the test homeserver. */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, EventType, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { startTestHomeserver, type TestHomeserver } from '../../../homeserver/testing';
import { ClientManager, quietLogger } from './client-manager';
import {
  getEncryptionStatus,
  recoverWithSecret,
  restoreBackupAfterVerification,
  setRecoveryPassphrase,
  setUpEncryption,
} from './crypto-setup';
import { acceptInvite, openDirectChat } from './rooms';
import { Outbox, OutboxEvent } from './outbox/outbox';
import { MemoryOutboxStore, type OutboxStore } from './outbox/outbox-store';
import { IdbOutboxStore } from './outbox/idb-outbox-store';
import { AesGcmSealer } from '../platform/secret-vault';
import { IDBFactory } from 'fake-indexeddb';
import {
  downloadEncryptedAttachment,
  parseEncryptedFile,
  uploadEncryptedAttachment,
} from './attachments';
import { waitForClient, waitForFirstSync } from './wait-for';
import { bindOutboxToSync } from './bind-outbox';
import { CryptoEvent } from 'matrix-js-sdk/lib/crypto-api/index.js';
import { onIncomingVerification, SasVerification } from './verification';
import type { SasState } from '../store/chat-slice';

// Two users on a real Synapse, Rust crypto in Node (in-memory stores), driving the app's own modules.
let hs: TestHomeserver;
const managers: ClientManager[] = [];
const PASSWORD = 'Correct-Horse-1';

/** Every plaintext sent in this file; none of them may appear in the server's storage. */
const plaintexts: Uint8Array[] = [];
const remember = (text: string) => {
  plaintexts.push(new TextEncoder().encode(text));
  return text;
};

async function signIn(username: string): Promise<{ manager: ClientManager; client: MatrixClient }> {
  const manager = new ClientManager();
  managers.push(manager);
  const result = await manager.login({
    homeserverUrl: hs.baseUrl,
    username,
    password: PASSWORD,
    deviceDisplayName: 'test',
  });
  if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.kind}`);
  const client = await manager.start(result.credentials, {
    persistent: false,
    logger: quietLogger,
  });
  await waitForFirstSync(client);
  return { manager, client };
}

function bodies(client: MatrixClient, roomId: string): string[] {
  const room = client.getRoom(roomId);
  return (room?.getLiveTimeline().getEvents() ?? [])
    .filter((e: MatrixEvent) => e.getType() === EventType.RoomMessage)
    .map((e) => String(e.getContent()['body'] ?? ''));
}

function waitForBodies(
  client: MatrixClient,
  roomId: string,
  expected: string[],
): Promise<string[]> {
  return waitForClient(
    client,
    `messages ${JSON.stringify(expected)} decrypted in ${roomId}`,
    () => {
      const seen = bodies(client, roomId);
      return expected.every((b) => seen.includes(b)) ? seen : undefined;
    },
  );
}

/** Every file under `dir` (none when it does not exist yet). */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/**
 * Waits until alice's device has uploaded the DM's room keys to the key backup. The upload runs in
 * the background (and the outage test sets it back), so a new device may look before it is done.
 */
async function dmKeysBackedUp(): Promise<void> {
  const aliceCrypto = alice.client.getCrypto()!;
  await aliceCrypto.checkKeyBackupAndEnable();
  const version = await aliceCrypto.getActiveSessionBackupVersion();
  const backedUp = async () => {
    const res = await fetch(
      `${hs.baseUrl}/_matrix/client/v3/room_keys/keys/${encodeURIComponent(dmRoomId)}?version=${version}`,
      { headers: { Authorization: `Bearer ${alice.client.getAccessToken()}` } },
    );
    return Object.keys(((await res.json()) as { sessions?: object }).sessions ?? {}).length;
  };
  while ((await backedUp()) < 2) {
    await new Promise<void>((resolve) =>
      alice.client.once(CryptoEvent.KeyBackupSessionsRemaining, () => resolve()),
    );
  }
}

/** Pages back through the DM on `client` until the first messages are loaded, then waits for them to decrypt. */
async function oldMessagesDecrypt(client: MatrixClient): Promise<void> {
  const old = ['今天下午三点开会，请准时参加 ALPHA-7f3a', '收到，准时参加 CHARLIE-5d0e'];
  const room = await waitForClient(
    client,
    'the DM on the new device',
    () => client.getRoom(dmRoomId) ?? undefined,
  );
  while (
    room.getLiveTimeline().getPaginationToken('b' as never) &&
    bodies(client, dmRoomId).length < 8
  ) {
    if (!(await client.scrollback(room, 30)).oldState) break;
  }
  await waitForBodies(client, dmRoomId, old);
}

let alice: { manager: ClientManager; client: MatrixClient };
let bob: { manager: ClientManager; client: MatrixClient };
let aliceRecoveryKey: string;
let dmRoomId: string;

beforeAll(async () => {
  hs = await startTestHomeserver();
  await hs.registerUser({ username: 'alice', password: PASSWORD, displayName: '李华' });
  await hs.registerUser({ username: 'bob', password: PASSWORD, displayName: '王芳' });
  alice = await signIn('alice');
  bob = await signIn('bob');
});

afterAll(async () => {
  for (const m of managers) await m.stop();
  await hs?.dispose();
});

describe('end-to-end encrypted chat (real Synapse, Rust crypto in Node)', () => {
  it('sets up cross-signing, secret storage and key backup on first login', async () => {
    expect(await getEncryptionStatus(alice.client)).toBe('needs-setup');
    aliceRecoveryKey = (
      await setUpEncryption({
        client: alice.client,
        keyCache: alice.manager.keyCache,
        password: PASSWORD,
      })
    ).recoveryKey;
    expect(aliceRecoveryKey).toMatch(/^E[sS]\w{2} /);
    expect(await getEncryptionStatus(alice.client)).toBe('ready');
    expect(await alice.client.getCrypto()?.getActiveSessionBackupVersion()).not.toBeNull();
    await setUpEncryption({
      client: bob.client,
      keyCache: bob.manager.keyCache,
      password: PASSWORD,
    });
    expect(await getEncryptionStatus(bob.client)).toBe('ready');
  });

  it('exchanges encrypted messages in a DM created encrypted', async () => {
    dmRoomId = await openDirectChat(alice.client, bob.client.getSafeUserId());
    await waitForClient(bob.client, 'the DM invite', () =>
      bob.client.getRoom(dmRoomId)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await acceptInvite(bob.client, dmRoomId);
    await waitForClient(alice.client, 'bob joined', () =>
      alice.client.getRoom(dmRoomId)?.getMember(bob.client.getSafeUserId())?.membership === 'join'
        ? true
        : undefined,
    );
    expect(alice.client.getRoom(dmRoomId)?.hasEncryptionStateEvent()).toBe(true);
    expect(await bob.client.getCrypto()?.isEncryptionEnabledInRoom(dmRoomId)).toBe(true);
    const direct = bob.client
      .getAccountData(EventType.Direct)
      ?.getContent<Record<string, string[]>>();
    expect(direct?.[alice.client.getSafeUserId()]).toContain(dmRoomId);

    const aliceOutbox = new Outbox({ client: alice.client, store: new MemoryOutboxStore() });
    await aliceOutbox.start();
    const fromAlice = [
      remember('今天下午三点开会，请准时参加 ALPHA-7f3a'),
      remember('会议材料已上传 BRAVO-91c2'),
    ];
    for (const body of fromAlice)
      await aliceOutbox.enqueue({ roomId: dmRoomId, content: { msgtype: 'm.text', body } });
    await aliceOutbox.whenIdle();
    await waitForBodies(bob.client, dmRoomId, fromAlice);

    const bobOutbox = new Outbox({ client: bob.client, store: new MemoryOutboxStore() });
    await bobOutbox.start();
    const fromBob = remember('收到，准时参加 CHARLIE-5d0e');
    await bobOutbox.enqueue({ roomId: dmRoomId, content: { msgtype: 'm.text', body: fromBob } });
    await bobOutbox.whenIdle();
    await waitForBodies(alice.client, dmRoomId, [fromBob]);

    // What went over the wire was ciphertext.
    const ev = bob.client
      .getRoom(dmRoomId)
      ?.getLiveTimeline()
      .getEvents()
      .find((e) => e.getContent()['body'] === fromAlice[0]);
    expect(ev?.isEncrypted()).toBe(true);
    expect(ev?.getWireType()).toBe(EventType.RoomMessageEncrypted);
  });

  it('sends an attachment encrypted on the device; the other side decrypts the same bytes', async () => {
    const bytes = new TextEncoder().encode(
      remember('附件内容：机密文件正文 DELTA-e8b4 '.repeat(64)),
    );
    const content = await uploadEncryptedAttachment({
      client: alice.client,
      file: { data: bytes, name: '会议纪要.txt', mimeType: 'text/plain' },
    });
    const { event_id } = await alice.client.sendEvent(
      dmRoomId,
      EventType.RoomMessage,
      content as never,
    );
    const received = await waitForClient(bob.client, 'the file event', () => {
      const e = bob.client.getRoom(dmRoomId)?.findEventById(event_id);
      return e && !e.isBeingDecrypted() && e.getContent()['msgtype'] === 'm.file' ? e : undefined;
    });
    const file = parseEncryptedFile(received.getContent()['file']);
    const downloaded = await downloadEncryptedAttachment(bob.client, file);
    expect(Buffer.from(downloaded).equals(Buffer.from(bytes))).toBe(true);
  });

  /** Alice's outbox, retrying quickly, as the app's but with short delays. */
  const newOutbox = (store: OutboxStore) =>
    new Outbox({ client: alice.client, store, initialDelayMs: 200, maxDelayMs: 1000 });

  /** Resolves once `count` items are queued and the first has been tried (and failed) twice. */
  const retriedWhileDown = (outbox: Outbox, count: number) =>
    new Promise<void>((resolve) => {
      const onChange = (items: { attempts: number }[]) => {
        if (items.length === count && (items[0]?.attempts ?? 0) >= 2) {
          outbox.off(OutboxEvent.Changed, onChange);
          resolve();
        }
      };
      outbox.on(OutboxEvent.Changed, onChange);
    });

  /**
   * The app starts again with the queue in `store` (`whileDown` looks at it first), then the
   * homeserver returns; the new outbox delivers everything and the store is left empty.
   */
  const restartOutboxAndServer = async (store: OutboxStore, whileDown?: (o: Outbox) => void) => {
    const second = newOutbox(store);
    const unbind = bindOutboxToSync(alice.client, second);
    await second.start();
    whileDown?.(second);
    await hs.start();
    await second.whenIdle();
    unbind();
    second.stop();
    expect(await store.list()).toEqual([]);
  };

  it('queues messages while the homeserver is down and delivers each exactly once after it returns', async () => {
    const store = new MemoryOutboxStore();
    const first = newOutbox(store);
    await first.start();
    const offline = [
      remember('离线消息一 ECHO-11aa'),
      remember('离线消息二 FOXTROT-22bb'),
      remember('离线消息三 GOLF-33cc'),
    ];
    await hs.stop();
    // Messages go out in order, so the first one is retried (with backoff) while the others wait.
    const attempted = retriedWhileDown(first, offline.length);
    for (const body of offline)
      await first.enqueue({ roomId: dmRoomId, content: { msgtype: 'm.text', body } });
    await attempted;
    // Every message is still queued and pending, none failed for good.
    expect((await store.list()).map((i) => i.status)).toEqual(['pending', 'pending', 'pending']);

    // The app quits; on the next start a new outbox picks the queue up from its store.
    first.stop();
    await restartOutboxAndServer(store);
    const seen = await waitForBodies(bob.client, dmRoomId, offline);
    for (const body of offline) expect(seen.filter((b) => b === body)).toHaveLength(1);
  });

  it('queues a file attached while the homeserver is down, then uploads and sends it exactly once, across a restart', async () => {
    // The browser's own store (IndexedDB, sealed), here on fake-indexeddb: the bytes must survive.
    const factory = new IDBFactory();
    const sealer = await AesGcmSealer.generate();
    const storeName = 'hongyan-outbox:attachment-test';
    const bytes = new TextEncoder().encode(remember('离线附件正文 INDIA-55ee '.repeat(40)));
    const name = '离线附件.txt';
    const mediaBefore = listFiles(hs.mediaStorePath).length;
    await hs.stop();
    const first = newOutbox(new IdbOutboxStore(storeName, sealer, factory));
    await first.start();
    const attempted = retriedWhileDown(first, 1);
    await first.enqueueAttachment({
      roomId: dmRoomId,
      file: { data: bytes, name, mimeType: 'text/plain' },
    });
    await attempted;
    // Still queued, with the file itself, after failed upload attempts: nothing failed for good.
    const [queued] = first.list();
    expect(queued).toMatchObject({ status: 'pending', content: { msgtype: 'm.file', body: name } });
    expect(queued?.attachment?.data.byteLength).toBe(bytes.byteLength);

    // The app quits; the next start reads the queue, file included, back from IndexedDB.
    first.stop();
    await restartOutboxAndServer(new IdbOutboxStore(storeName, sealer, factory), (second) =>
      expect(second.list()[0]?.attachment?.data).toEqual(bytes),
    );

    const fileEvents = () =>
      (bob.client.getRoom(dmRoomId)?.getLiveTimeline().getEvents() ?? []).filter(
        (e) => !e.isBeingDecrypted() && e.getContent()['filename'] === name,
      );
    const [received] = await waitForClient(bob.client, 'the queued file', () =>
      fileEvents().length > 0 ? fileEvents() : undefined,
    );
    expect(fileEvents()).toHaveLength(1);
    const downloaded = await downloadEncryptedAttachment(
      bob.client,
      parseEncryptedFile(received?.getContent()['file']),
    );
    expect(Buffer.from(downloaded).equals(Buffer.from(bytes))).toBe(true);
    // One upload reached the server's media store: the retries while it was down uploaded nothing,
    // and sending the event did not upload again.
    expect(listFiles(hs.mediaStorePath)).toHaveLength(mediaBefore + 1);
  });

  it('does not duplicate a message whose first send reached the server before the app lost track of it', async () => {
    const store = new MemoryOutboxStore();
    const body = remember('重复发送测试 HOTEL-44dd');
    const content = { msgtype: 'm.text', body };
    const txnId = 'hy-test-lost-ack-1';
    // The previous run sent it (the server has it) but quit before removing it from the queue.
    await store.put({
      txnId,
      roomId: dmRoomId,
      eventType: 'm.room.message',
      content,
      createdAt: Date.now(),
      status: 'pending',
      attempts: 1,
    });
    const sentBefore = await alice.client.sendEvent(
      dmRoomId,
      null,
      EventType.RoomMessage,
      content as never,
      txnId,
    );
    // Wait for the remote echo, after which this client no longer tracks the transaction (as after a restart).
    await waitForClient(alice.client, 'the remote echo', () =>
      alice.client
        .getRoom(dmRoomId)
        ?.getLiveTimeline()
        .getEvents()
        .some((e) => e.getId() === sentBefore.event_id && !e.status)
        ? true
        : undefined,
    );
    const restarted = new Outbox({ client: alice.client, store });
    const sentAgain = new Promise<string>((resolve) =>
      restarted.once(OutboxEvent.Sent, (_i, id) => resolve(id)),
    );
    await restarted.start();
    expect(await sentAgain).toBe(sentBefore.event_id);
    await waitForBodies(bob.client, dmRoomId, [body]);
    expect(bodies(bob.client, dmRoomId).filter((b) => b === body)).toHaveLength(1);
  });

  it('marks a message the server refuses as failed, and lets the user retry or delete it', async () => {
    const { room_id: foreign } = await bob.client.createRoom({
      name: '外部会话',
      initial_state: [],
    });
    const outbox = new Outbox({ client: alice.client, store: new MemoryOutboxStore() });
    await outbox.start();
    const failed = new Promise<void>((resolve) => {
      const check = (items: { status: string }[]) => {
        if (items[0]?.status === 'failed') {
          outbox.off(OutboxEvent.Changed, check);
          resolve();
        }
      };
      outbox.on(OutboxEvent.Changed, check);
    });
    const txnId = await outbox.enqueue({
      roomId: foreign,
      content: { msgtype: 'm.text', body: '不该送达' },
    });
    await failed;
    expect(outbox.list()[0]).toMatchObject({ txnId, status: 'failed', lastError: 'M_FORBIDDEN' });
    await outbox.remove(txnId);
    expect(outbox.list()).toEqual([]);
    outbox.stop();
  });

  it('logout right after login removes the device, even with its first key upload in flight', async () => {
    const manager = new ClientManager();
    managers.push(manager);
    const result = await manager.login({
      homeserverUrl: hs.baseUrl,
      username: 'bob',
      password: PASSWORD,
      deviceDisplayName: 'test',
    });
    if (!result.ok) throw new Error(`login failed: ${result.error.kind}`);
    const temp = await manager.start(result.credentials, {
      persistent: false,
      logger: quietLogger,
    });
    const deviceId = temp.getDeviceId() ?? '';
    // No wait for the first sync or the device's key upload: logout races them.
    await manager.logout();
    expect(manager.client).toBeNull();
    // Let anything still in flight reach the server, then look from bob's other device.
    await new Promise<void>((resolve) => bob.client.once(ClientEvent.Sync, () => resolve()));
    const bobId = bob.client.getSafeUserId();
    const { devices } = await bob.client.getDevices();
    expect(devices.map((d) => d.device_id)).not.toContain(deviceId);
    const keys = await bob.client.downloadKeysForUsers([bobId]);
    expect(Object.keys(keys.device_keys?.[bobId] ?? {})).not.toContain(deviceId);
  });

  it('a new device of alice restores history from key backup with the recovery key', async () => {
    await dmKeysBackedUp();
    const third = await signIn('alice');
    expect(await getEncryptionStatus(third.client)).toBe('needs-verification');
    await expect(
      recoverWithSecret({
        client: third.client,
        keyCache: third.manager.keyCache,
        secret: { recoveryKey: 'EsTc 1234 5678' },
      }),
    ).rejects.toThrow(/recovery key/);
    const restored = await recoverWithSecret({
      client: third.client,
      keyCache: third.manager.keyCache,
      secret: { recoveryKey: aliceRecoveryKey },
    });
    expect(restored.imported).toBeGreaterThan(0);
    expect(await getEncryptionStatus(third.client)).toBe('ready');
    await oldMessagesDecrypt(third.client);
  });

  it('a passphrase can replace the recovery key, and a new device recovers with it', async () => {
    const passphrase = '防汛 抗旱 2026 春季';
    await setRecoveryPassphrase({ client: bob.client, keyCache: bob.manager.keyCache, passphrase });
    const another = await signIn('bob');
    await expect(
      recoverWithSecret({
        client: another.client,
        keyCache: another.manager.keyCache,
        secret: { passphrase: 'wrong passphrase' },
      }),
    ).rejects.toThrow(/does not match/);
    await recoverWithSecret({
      client: another.client,
      keyCache: another.manager.keyCache,
      secret: { passphrase },
    });
    expect(await getEncryptionStatus(another.client)).toBe('ready');
  });

  it('a new device verified by comparing emoji (SAS) gets the backup key from the other device and decrypts old history', async () => {
    await dmKeysBackedUp();
    const fresh = await signIn('alice');
    expect(await getEncryptionStatus(fresh.client)).toBe('needs-verification');
    // Before: the new device has neither the backup key nor any of the DM's room keys.
    expect(await fresh.client.getCrypto()?.getSessionBackupPrivateKey()).toBeNull();
    /** Records each side's states; `reached` resolves when a phase has been reported. */
    const tracker = () => {
      const seen: SasState[] = [];
      const waiters: Array<() => void> = [];
      return {
        push: (state: SasState) => {
          seen.push(state);
          for (const w of waiters.splice(0)) w();
        },
        reached: async (phase: SasState['phase']): Promise<SasState> => {
          while (!seen.some((x) => x.phase === phase))
            await new Promise<void>((resolve) => waiters.push(resolve));
          return seen.find((x) => x.phase === phase)!;
        },
      };
    };
    const oldSide = tracker();
    const freshSide = tracker();
    let onOld: SasVerification | null = null;
    const stop = onIncomingVerification(alice.client, (request) => {
      onOld = SasVerification.incoming(request, oldSide.push);
    });
    const onFresh = await SasVerification.requestOwnDevice(fresh.client, freshSide.push);
    await waitForClient(alice.client, 'the verification request', () => onOld ?? undefined);
    await onOld!.accept();
    const [a, b] = await Promise.all([oldSide.reached('compare'), freshSide.reached('compare')]);
    expect(a.emoji).toHaveLength(7);
    expect(a.emoji).toEqual(b.emoji);
    await Promise.all([onOld!.confirm(), onFresh.confirm()]);
    await Promise.all([oldSide.reached('done'), freshSide.reached('done')]);
    stop();
    // The existing device signs the new one with the account's self-signing key and uploads the
    // signature; the account's devices see it once their device lists refresh.
    const verified = async () =>
      (
        await alice.client
          .getCrypto()
          ?.getDeviceVerificationStatus(alice.client.getSafeUserId(), fresh.client.getDeviceId()!)
      )?.crossSigningVerified === true;
    while (!(await verified())) {
      await new Promise<void>((resolve) => {
        const done = () => {
          alice.client.off(CryptoEvent.DevicesUpdated, done);
          alice.client.off(ClientEvent.Sync, done);
          resolve();
        };
        alice.client.on(CryptoEvent.DevicesUpdated, done);
        alice.client.on(ClientEvent.Sync, done);
      });
    }
    expect(await verified()).toBe(true);

    // The app's step after a verification: wait for the backup key the old device shares
    // (secret gossiping over Olm), then restore the room keys from the backup.
    const restored = await restoreBackupAfterVerification(fresh.client);
    expect(restored?.imported).toBeGreaterThan(0);
    expect(await fresh.client.getCrypto()?.getActiveSessionBackupVersion()).not.toBeNull();
    await oldMessagesDecrypt(fresh.client);
  });

  it('leaves no plaintext of any message or file in the server database or media store', async () => {
    const files: string[] = [];
    if (hs.databasePath) {
      for (const suffix of ['', '-wal', '-journal'])
        if (existsSync(hs.databasePath + suffix)) files.push(hs.databasePath + suffix);
    }
    // The worker topology's PostgreSQL cluster: its tables and write-ahead log (not its socket).
    if (hs.databaseDir)
      files.push(...listFiles(hs.databaseDir).filter((f) => statSync(f).isFile()));
    files.push(...listFiles(hs.mediaStorePath));
    expect(files.length).toBeGreaterThan(1);
    expect(plaintexts.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      const content = readFileSync(file);
      for (const text of plaintexts) {
        // Search for a distinctive slice too, in case the server split a long text.
        const slice = text.subarray(0, Math.min(text.length, 24));
        expect(content.includes(Buffer.from(text)), `${file} holds a plaintext`).toBe(false);
        expect(content.includes(Buffer.from(slice)), `${file} holds part of a plaintext`).toBe(
          false,
        );
      }
    }
  });
});
