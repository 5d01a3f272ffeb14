/**
 * Chat latency benchmark: the time from "send" on one client to the decrypted message on the
 * other, over 200 messages in an encrypted DM, between two Node clients with Rust crypto on a
 * loopback Synapse. Targets (design brief): p50 ≤ 150 ms, p95 ≤ 500 ms. Baseline from the same run:
 * the same exchange in an unencrypted room, i.e. what the server and sync alone cost.
 *
 * Run alone with `npx tsx bench/chat-latency.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import {
  EventType,
  MatrixEventEvent,
  RoomEvent,
  type MatrixClient,
  type MatrixEvent,
} from 'matrix-js-sdk';
import { startTestHomeserver } from '../homeserver/testing';
import { acceptInvite, openDirectChat } from '../renderer/src/matrix/rooms';
import { setUpEncryption } from '../renderer/src/matrix/crypto-setup';
import { Outbox } from '../renderer/src/matrix/outbox/outbox';
import { MemoryOutboxStore } from '../renderer/src/matrix/outbox/outbox-store';
import { waitForClient } from '../renderer/src/matrix/wait-for';
import { BENCH_PASSWORD, percentile, signInBenchUser, versusTarget } from './chat-helpers';

/** Options of {@link runChatLatencyBench}. */
export interface ChatLatencyBenchOptions {
  log: (line: string) => void;
  /** Messages per room. Default 200. */
  messages?: number;
}

/** Figures of one run, in milliseconds. */
export interface ChatLatencyResult {
  encrypted: { p50: number; p95: number };
  plain: { p50: number; p95: number };
}

/** Resolves per body when the receiving client has the message decrypted (or in the clear). */
function arrivals(client: MatrixClient): { wait(body: string): Promise<number>; stop(): void } {
  const waiting = new Map<string, (t: number) => void>();
  const check = (e: MatrixEvent) => {
    if (e.getType() !== EventType.RoomMessage) return;
    const body = e.getContent()['body'];
    if (typeof body !== 'string') return;
    const resolve = waiting.get(body);
    if (resolve) {
      waiting.delete(body);
      resolve(performance.now());
    }
  };
  client.on(RoomEvent.Timeline, check);
  client.on(MatrixEventEvent.Decrypted, check);
  return {
    wait: (body) => new Promise((resolve) => waiting.set(body, resolve)),
    stop: () => {
      client.off(RoomEvent.Timeline, check);
      client.off(MatrixEventEvent.Decrypted, check);
    },
  };
}

async function measure(
  sender: Outbox,
  receiver: MatrixClient,
  roomId: string,
  count: number,
  tag: string,
): Promise<number[]> {
  const watch = arrivals(receiver);
  const latencies: number[] = [];
  try {
    for (let i = -3; i < count; i++) {
      const body = `${tag} ${i} ${Math.random().toString(36).slice(2)}`;
      const arrived = watch.wait(body);
      const t0 = performance.now();
      await sender.enqueue({ roomId, content: { msgtype: 'm.text', body } });
      const t1 = await arrived;
      if (i >= 0) latencies.push(t1 - t0); // the first three warm up the room's Megolm session
    }
  } finally {
    watch.stop();
  }
  return latencies;
}

/** Runs the benchmark and logs its figures; returns them for callers that want numbers. */
export async function runChatLatencyBench(
  opts: ChatLatencyBenchOptions,
): Promise<ChatLatencyResult> {
  const { log } = opts;
  const count = opts.messages ?? 200;
  const hs = await startTestHomeserver();
  try {
    await hs.registerUser({ username: 'sender', password: BENCH_PASSWORD });
    await hs.registerUser({ username: 'receiver', password: BENCH_PASSWORD });
    const a = await signInBenchUser(hs, 'sender');
    const b = await signInBenchUser(hs, 'receiver');
    await setUpEncryption({
      client: a.client,
      keyCache: a.manager.keyCache,
      password: BENCH_PASSWORD,
    });
    await setUpEncryption({
      client: b.client,
      keyCache: b.manager.keyCache,
      password: BENCH_PASSWORD,
    });
    const dm = await openDirectChat(a.client, b.client.getSafeUserId());
    await waitForClient(b.client, 'the DM invite', () =>
      b.client.getRoom(dm)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await acceptInvite(b.client, dm);
    // Baseline room: the same exchange without end-to-end encryption (never made by the app itself).
    const { room_id: plainRoom } = await a.client.createRoom({
      name: 'baseline',
      invite: [b.client.getSafeUserId()],
    });
    await waitForClient(b.client, 'the baseline invite', () =>
      b.client.getRoom(plainRoom)?.getMyMembership() === 'invite' ? true : undefined,
    );
    await b.client.joinRoom(plainRoom);
    await waitForClient(a.client, 'both joined', () =>
      a.client.getRoom(dm)?.getJoinedMemberCount() === 2 &&
      a.client.getRoom(plainRoom)?.getJoinedMemberCount() === 2
        ? true
        : undefined,
    );

    const outbox = new Outbox({ client: a.client, store: new MemoryOutboxStore() });
    await outbox.start();
    const plain = await measure(outbox, b.client, plainRoom, count, 'plain');
    const encrypted = await measure(outbox, b.client, dm, count, 'e2ee');
    outbox.stop();
    const result = {
      encrypted: { p50: percentile(encrypted, 50), p95: percentile(encrypted, 95) },
      plain: { p50: percentile(plain, 50), p95: percentile(plain, 95) },
    };
    log(
      `${count} messages each way, send → decrypted on the other client (loopback Synapse, Rust crypto in Node)`,
    );
    log(
      `encrypted p50 ${versusTarget(result.encrypted.p50, 150)}; baseline unencrypted p50 ${result.plain.p50.toFixed(1)} ms`,
    );
    log(
      `encrypted p95 ${versusTarget(result.encrypted.p95, 500)}; baseline unencrypted p95 ${result.plain.p95.toFixed(1)} ms`,
    );
    await a.manager.stop();
    await b.manager.stop();
    return result;
  } finally {
    await hs.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runChatLatencyBench({ log: (l) => console.log(l) });
}
