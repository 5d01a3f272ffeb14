/**
 * Kill -9 soak (`npm run soak`; a 3-round variant runs in the suite). Each round:
 *
 * 1. A chat burst goes out through the issuer's outbox, the six members acknowledge the previous
 *    round's circular through theirs, and a new circular fans out to six notice rooms; Synapse is
 *    SIGKILLed at a random point (after a random number of chat messages and of circular copies
 *    were accepted, plus a random delay), then started again after a random pause.
 * 2. A separate client process runs another fan-out from a file store and is SIGKILLed after a
 *    random number of copies; the fan-out is resumed from the file, as the app does after a crash.
 *
 * After each step the server's history is read back: every chat message exactly once (decrypted
 * by the recipient), every circular copy exactly once per room and arrived at its member, every
 * ack counted once on the issuer's dashboard. The summary counts Synapse kills; the client kills
 * are printed beside it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestHomeserver, type TestHomeserver } from '../../homeserver/testing';
import { acknowledgeCircular } from '../../renderer/src/circulars/acknowledge';
import { FanOutEvent, FanOutRunner } from '../../renderer/src/circulars/fan-out-runner';
import { MemoryFanOutStore, type FanOutStore } from '../../renderer/src/circulars/fan-out-store';
import {
  prepareCircular,
  saveFanOut,
  type PreparedCircular,
} from '../../renderer/src/circulars/issue';
import { waitForCopy } from '../../testing/org-fixture';
import { OutboxEvent } from '../../renderer/src/matrix/outbox/outbox';
import { runClientKill } from './client-kill';
import { FileFanOutStore } from './file-fan-out-store';
import { checkAcks, checkChat, checkCopies, type Tally } from './soak-checks';
import { setUpSoakOrg, soakDraft, type SoakOrg } from './soak-org';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  rounds: number;
  log: (line: string) => void;
  /** Seed of the random kill points (printed, so a failing run replays). */
  seed?: number;
  /** Chat messages per burst (default 40). */
  burst?: number;
}

/** What a soak found. */
export interface SoakResult extends Tally {
  kills: number;
  clientKills: number;
  summaryLine: string;
}

/** Small seeded PRNG (mulberry32): the kill points of a run can be replayed from its seed. */
function random(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return lo + Math.floor(r * (hi - lo + 1));
  };
}

/** A circular whose copies were sent, to be acknowledged in the next round. */
interface Issued {
  prepared: PreparedCircular;
  store: FanOutStore;
}

/** Runs the soak on a fresh homeserver and returns the tallies. */
export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const { log, rounds } = opts;
  const burst = opts.burst ?? 40;
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  const rand = random(seed);
  log(`seed ${seed}; ${rounds} rounds, chat bursts of ${burst} messages`);
  const hs = await startTestHomeserver();
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'hongyan-soak-'));
  let org: SoakOrg | undefined;
  const tally: Tally = { lost: 0, duplicated: 0 };
  let kills = 0;
  let clientKills = 0;
  try {
    org = await setUpSoakOrg(hs);
    const ctx = { hs, org, rand, log, tally, burst };
    let previous: Issued | undefined;
    for (let round = 1; round <= rounds; round += 1) {
      const before = { ...tally };
      previous = await synapseKillRound(ctx, round, previous);
      kills += 1;
      const killedClient = await runClientKill({
        ...ctx,
        round,
        store: new FileFanOutStore(path.join(tmp, `fan-out-${round}.json`)),
      });
      if (killedClient) clientKills += 1;
      log(
        `round ${round}: ${tally.lost - before.lost} lost, ${tally.duplicated - before.duplicated} duplicated`,
      );
    }
    // The last round's circular is acknowledged too, with the server up.
    if (previous) await acknowledgeAll(org, previous);
    if (previous) await checkAcks(ctx, previous.prepared, previous.store, 'the last round');
  } finally {
    await org?.stop();
    await hs.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
  log(`client process SIGKILLed mid-fan-out and resumed: ${clientKills} times`);
  return {
    ...tally,
    kills,
    clientKills,
    summaryLine: `soak: ${kills} kills, ${tally.lost} lost, ${tally.duplicated} duplicated`,
  };
}

interface RoundContext {
  hs: TestHomeserver;
  org: SoakOrg;
  rand: (lo: number, hi: number) => number;
  log: (line: string) => void;
  tally: Tally;
  burst: number;
}

/** Every member acknowledges its copy of `issued` through its outbox (stored, not yet sent). */
async function acknowledgeAll(org: SoakOrg, issued: Issued): Promise<void> {
  const { circular } = issued.prepared;
  await Promise.all(
    org.members.map(async (m) => {
      const { event } = await waitForCopy(m.client, circular.id);
      await acknowledgeCircular({
        send: (p) => m.outbox.enqueue(p),
        roomId: event.getRoomId() ?? '',
        eventId: event.getId() ?? '',
        circular,
      });
    }),
  );
}

/** Step 1 of a round: chat burst, acks and fan-out at once, Synapse SIGKILLed mid-way. */
async function synapseKillRound(
  ctx: RoundContext,
  round: number,
  previous: Issued | undefined,
): Promise<Issued> {
  const { hs, org, rand, log } = ctx;
  const { issuer } = org;
  const startedAt = Date.now();
  const prepared = await prepareCircular({
    client: issuer.client,
    org: org.org,
    draft: soakDraft(`第 ${round} 轮值班安排的通知`),
  });
  const store = new MemoryFanOutStore();
  await saveFanOut({ store, prepared, senderId: issuer.client.getSafeUserId() });
  const rooms = prepared.plan.entries.length;
  const chatBefore = rand(2, 12);
  const copiesBefore = rand(0, rooms - 1);
  const extraDelay = rand(0, 300);
  const pause = rand(0, 2000);

  let killing: Promise<string> | undefined;
  const kill = (copies: number): void => {
    killing ??= (async () => {
      await sleep(extraDelay);
      const chatPending = issuer.outbox.list().filter((i) => i.status === 'pending').length;
      await hs.kill();
      await sleep(pause);
      await hs.start();
      return `killed after ${copies}/${rooms} copies (+${extraDelay} ms) with ${chatPending}/${ctx.burst} chat messages pending; down ${pause} ms before restart`;
    })();
  };

  let chatSent = 0;
  const chatReached = new Promise<void>((resolve) => {
    const onSent = () => {
      chatSent += 1;
      if (chatSent < chatBefore) return;
      issuer.outbox.off(OutboxEvent.Sent, onSent);
      resolve();
    };
    issuer.outbox.on(OutboxEvent.Sent, onSent);
  });
  const bodies = Array.from(
    { length: ctx.burst },
    (_, i) => `soak round ${round} message ${i + 1} (${prepared.circular.id.slice(0, 8)})`,
  );
  for (const body of bodies)
    await issuer.outbox.enqueue({ roomId: org.chatRoomId, content: { msgtype: 'm.text', body } });
  if (previous) await acknowledgeAll(org, previous);
  await chatReached;

  const runner = new FanOutRunner({
    client: issuer.client,
    store,
    circularId: prepared.circular.id,
    concurrency: 2,
    initialDelayMs: 200,
    maxDelayMs: 2000,
  });
  runner.on(FanOutEvent.Progress, (p) => {
    if (p.sent >= copiesBefore) kill(p.sent);
  });
  if (copiesBefore === 0) kill(0);
  const progress = await runner.run();
  log(`round ${round}: Synapse ${await (killing ?? Promise.resolve('was not killed'))}`);
  if (!progress.done || progress.failed > 0)
    log(`round ${round}: the fan-out ended unfinished: ${JSON.stringify(progress)}`);
  await Promise.all([issuer, ...org.members].map((p) => p.outbox.whenIdle()));

  await checkChat(ctx, bodies, startedAt, `round ${round}`);
  await checkCopies(ctx, prepared, store, `round ${round}`);
  if (previous) await checkAcks(ctx, previous.prepared, previous.store, `round ${round - 1}`);
  return { prepared, store };
}
