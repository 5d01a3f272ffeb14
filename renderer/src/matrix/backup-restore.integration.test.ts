/* eslint-disable no-restricted-imports -- an integration test runs in Node: it backs up and restores the test homeserver's files. */
/**
 * The kit's backup and restore against a real Synapse: a hot backup of a server holding an
 * encrypted conversation and an encrypted file, the server lost, the backup restored onto a fresh
 * data directory and started. The restored server serves the old history and media, and the
 * clients, which kept their devices and keys, decrypt them.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EventType, type IRoomEvent, type MatrixClient } from 'matrix-js-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupInstance, restoreBackup } from '../../../homeserver/backup';
import { openInstance, prepareInstance } from '../../../homeserver/instance';
import type { HomeserverInstance } from '../../../homeserver/instance';
import { startSynapse, stopSynapse } from '../../../homeserver/lifecycle';
import { startTestHomeserver, type TestHomeserver } from '../../../homeserver/testing';
import { ensureVenv } from '../../../homeserver/venv';
import {
  downloadEncryptedAttachment,
  parseEncryptedFile,
  uploadEncryptedAttachment,
} from './attachments';
import { ClientManager, quietLogger } from './client-manager';
import { acceptInvite, openDirectChat } from './rooms';
import { waitForClient, waitForFirstSync } from './wait-for';

let hs: TestHomeserver;
let dir: string;
let restored: HomeserverInstance | undefined;
const managers: ClientManager[] = [];

async function client(username: string): Promise<MatrixClient> {
  const user = await hs.registerUser({ username, password: 'Backup-Pass-1' });
  const manager = new ClientManager();
  managers.push(manager);
  const c = await manager.start(
    { homeserverUrl: hs.baseUrl, ...user },
    { persistent: false, logger: quietLogger },
  );
  await waitForFirstSync(c);
  return c;
}

beforeAll(async () => {
  hs = await startTestHomeserver();
  dir = await mkdtemp(path.join(os.tmpdir(), 'hy-backup-'));
}, 240_000);
afterAll(async () => {
  for (const m of managers) await m.stop();
  if (restored) await stopSynapse(restored);
  await hs?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kit backup and restore', () => {
  it('restores onto a fresh data directory a server whose old history the clients still decrypt', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const roomId = await openDirectChat(alice, bob.getSafeUserId());
    await waitForClient(bob, 'the invite', () =>
      bob.getRoom(roomId)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await acceptInvite(bob, roomId);
    await waitForClient(alice, 'bob joined', () =>
      alice.getRoom(roomId)?.getMember(bob.getSafeUserId())?.membership === 'join'
        ? true
        : undefined,
    );
    const texts = ['备份前的第一条消息 ECHO-41aa', '备份前的第二条消息 FOXTROT-92bb'];
    for (const body of texts) await alice.sendTextMessage(roomId, body);
    const fileBytes = new TextEncoder().encode('备份前的附件 GOLF-17cc '.repeat(50));
    const fileContent = await uploadEncryptedAttachment({
      client: alice,
      file: { data: fileBytes, name: '备份.txt', mimeType: 'text/plain' },
    });
    const { event_id: fileEventId } = await alice.sendEvent(
      roomId,
      EventType.RoomMessage,
      fileContent as never,
    );
    // Bob has received (and so holds the keys of) everything before the backup.
    await waitForClient(bob, 'the messages decrypted', () => {
      const events = bob.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
      const bodies = events.map((e) => e.getContent()['body']);
      return texts.every((t) => bodies.includes(t)) &&
        events.some((e) => e.getId() === fileEventId && !e.isBeingDecrypted())
        ? true
        : undefined;
    });

    // A hot backup, then the server and its data directory are lost.
    const backupDir = path.join(dir, 'backup');
    const manifest = await backupInstance(await openInstance(hs.dataDir), backupDir);
    const names = manifest.files.map((f) => f.path);
    expect(names).toEqual(
      expect.arrayContaining(['homeserver.db', 'kit.yaml', 'secrets/signing.key']),
    );
    expect(names.some((n) => n.startsWith('media_store/'))).toBe(true);
    const signingKey = await readFile(path.join(hs.dataDir, 'secrets', 'signing.key'));
    // The backup holds ciphertext only, like the server.
    for (const f of names) {
      const bytes = await readFile(path.join(backupDir, f));
      for (const t of [...texts, 'GOLF-17cc']) expect(bytes.includes(Buffer.from(t))).toBe(false);
    }
    await hs.stop();

    const fresh = path.join(dir, 'restored');
    await restoreBackup(backupDir, fresh);
    restored = await prepareInstance({ dataDir: fresh, warn: () => undefined });
    expect(restored.baseUrl).toBe(hs.baseUrl);
    await startSynapse(restored, {
      python: (await ensureVenv({ log: () => undefined })).python,
      detached: false,
    });
    expect(await readFile(path.join(fresh, 'secrets', 'signing.key'))).toEqual(signingKey);

    // The restored server serves the old history to bob's session, and bob's keys decrypt it.
    const res = await fetch(
      `${restored.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100`,
      { headers: { Authorization: `Bearer ${bob.getAccessToken() ?? ''}` } },
    );
    expect(res.status).toBe(200);
    const { chunk } = (await res.json()) as { chunk: IRoomEvent[] };
    const mapper = bob.getEventMapper();
    const events = chunk.filter((e) => e.type === EventType.RoomMessageEncrypted).map(mapper);
    await Promise.all(events.map((e) => bob.decryptEventIfNeeded(e)));
    const bodies = events.map((e) => e.getContent()['body']);
    expect(bodies).toEqual(expect.arrayContaining([...texts, '备份.txt']));
    expect(events.every((e) => !e.isDecryptionFailure())).toBe(true);
    const file = events.find((e) => e.getId() === fileEventId);
    const downloaded = await downloadEncryptedAttachment(
      bob,
      parseEncryptedFile(file?.getContent()['file']),
    );
    expect(Buffer.from(downloaded).equals(Buffer.from(fileBytes))).toBe(true);
  }, 300_000);

  it('refuses a damaged backup and a data directory that is not fresh, writing nothing', async () => {
    const backupDir = path.join(dir, 'backup');
    await expect(restoreBackup(backupDir, path.join(dir, 'restored'))).rejects.toThrow(
      /is not empty; restore only into a fresh data directory/,
    );
    await writeFile(path.join(backupDir, 'kit.yaml'), 'serverName: evil.example\n');
    const target = path.join(dir, 'second');
    await expect(restoreBackup(backupDir, target)).rejects.toThrow(
      'the backup is damaged: kit.yaml does not match its checksum',
    );
    expect(existsSync(target)).toBe(false);
    expect((await readdir(dir)).filter((n) => n.includes('.restoring-'))).toEqual([]);
  });
});
