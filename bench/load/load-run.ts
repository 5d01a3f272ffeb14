/**
 * One run of the load benchmark on one topology: the population syncs, the issuing office sends
 * encrypted circulars to every unit room through the app's own fan-out runner while a share of the
 * staff chat and acknowledge, and every delivery (accepted → seen in each recipient's sync) is
 * timed. The server processes' CPU is measured over the same window.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { MsgType } from 'matrix-js-sdk';
import type { Topology } from '../../homeserver/kit-config';
import { startTestHomeserver } from '../../homeserver/testing';
import { buildCircularContent } from '../../shared/circular/circular-content';
import { ACK_EVENT } from '../../shared/matrix-types';
import { FanOutEvent, FanOutRunner } from '../../renderer/src/circulars/fan-out-runner';
import { planFanOut } from '../../shared/circular/fan-out';
import { MemoryFanOutStore } from '../../renderer/src/circulars/fan-out-store';
import type { CircularContent } from '../../shared/circular/circular-content';
import { CIRCULAR_MSGTYPE } from '../../shared/matrix-types';
import { DeliveryTracker, type DeliveryFigures } from './delivery';
import { populate, type Population } from './population';
import {
  cpuBetween,
  measureHarness,
  sampleCpu,
  serverProcesses,
  type HarnessFigures,
} from './process-cpu';

/** Parameters of one run. */
export interface LoadRunOptions {
  topology: Topology;
  clients: number;
  appClients: number;
  perRoom: number;
  circulars: number;
  /** Seconds between circulars; the chatter spreads over the same window. */
  intervalS: number;
  /** Share of staff who send one chat message during the window. */
  chatShare: number;
  /** Share of staff who acknowledge each circular. */
  ackShare: number;
  log: (line: string) => void;
}

/** Figures of one run. */
export interface LoadRunResult {
  topology: Topology;
  circulars: DeliveryFigures;
  messages: DeliveryFigures;
  /** CPU seconds per server process over the measured window. */
  cpu: Map<string, number>;
  windowS: number;
  /** Seconds from the first send to the last: the span in which the load arrived. */
  sendSpanS: number;
  syncErrors: number;
  /** The load generator itself over the window. */
  harness: HarnessFigures;
}

/** A fan-out record of `content` to the rooms of `codes`, in a fresh in-memory store. */
async function storeFanOut(
  content: CircularContent,
  codes: readonly string[],
  roomIds: readonly string[],
  senderId: string,
): Promise<MemoryFanOutStore> {
  const circularId = content[CIRCULAR_MSGTYPE].id;
  const planned = planFanOut({
    circularId,
    unitCodes: [...codes],
    noticeRoomOf: new Map(codes.map((c, i) => [c, roomIds[i] ?? ''])),
  });
  if (!planned.ok) throw new Error(`plan: ${JSON.stringify(planned.errors)}`);
  const store = new MemoryFanOutStore();
  await store.put({ plan: planned.plan, content, createdAt: Date.now(), senderId });
  return store;
}

const randomDelay = (maxMs: number): Promise<void> => delay(Math.random() * maxMs);

/** Sends one circular to every unit room and schedules the acknowledgments. */
async function issueCircular(
  pop: Population,
  tracker: DeliveryTracker,
  n: number,
  ackShare: number,
  acks: Promise<void>[],
): Promise<void> {
  const id = crypto.randomUUID();
  const codes = pop.roomIds.map((_, i) => `u${i}`);
  const content = buildCircularContent({
    circular: {
      id,
      title: `关于做好第${n + 1}批重点工作的通知`,
      docNumber: `示府办〔2026〕${20 + n}号`,
      issuingUnit: { code: '990000', name: '示范省人民政府办公厅' },
      urgency: 'urgent',
      issuedAt: Date.now(),
      ackDeadline: Date.now() + 86_400_000,
      ackRequired: true,
      noForward: true,
      body: '各单位：\n\n请认真贯彻落实，按时报送情况。',
      targets: [{ unitCode: '990000', scope: 'subtree' }],
      attachments: [],
    },
  });
  const store = await storeFanOut(content, codes, pop.roomIds, pop.issuer.client.getSafeUserId());
  const runner = new FanOutRunner({
    client: pop.issuer.client,
    store,
    circularId: id,
    concurrency: 8,
  });
  const noted = new Set<string>();
  runner.on(FanOutEvent.Progress, (_p, record) => {
    const now = Date.now();
    for (const entry of record.plan.entries) {
      if (entry.state.kind !== 'sent' || noted.has(entry.roomId)) continue;
      noted.add(entry.roomId);
      const r = pop.roomIds.indexOf(entry.roomId);
      const eventId = entry.state.eventId;
      tracker.accepted(eventId, 'circular', now, pop.roomMembers[r] ?? []);
      // A share of the room acknowledges a few seconds after the copy arrives.
      for (const m of pop.members.filter((x) => x.roomIndex === r && x.crowd)) {
        if (Math.random() >= ackShare) continue;
        acks.push(
          (async () => {
            await randomDelay(15_000);
            const at = Date.now();
            const ackId = await m.crowd!.send(entry.roomId, ACK_EVENT, {
              'm.relates_to': { rel_type: 'm.reference', event_id: eventId },
            });
            const others = (pop.roomMembers[r] ?? []).filter((u) => u !== m.userId);
            tracker.accepted(ackId, 'message', at, others);
          })(),
        );
      }
    }
  });
  const progress = await runner.run();
  if (!progress.done || progress.failed > 0) throw new Error(`fan-out ${JSON.stringify(progress)}`);
}

/** Sends the staff's chat messages at random times over the window. */
function chatter(
  pop: Population,
  tracker: DeliveryTracker,
  share: number,
  windowMs: number,
): Promise<void>[] {
  return pop.members
    .filter(() => Math.random() < share)
    .map(async (m) => {
      await randomDelay(windowMs);
      const roomId = pop.roomIds[m.roomIndex] ?? '';
      const body = `收到，${m.userId} 正在落实`;
      const at = Date.now();
      const eventId = m.crowd
        ? await m.crowd.send(roomId, 'm.room.message', { msgtype: 'm.text', body })
        : (await m.app!.client.sendMessage(roomId, { msgtype: MsgType.Text, body })).event_id;
      const others = (pop.roomMembers[m.roomIndex] ?? []).filter((u) => u !== m.userId);
      tracker.accepted(eventId, 'message', at, others);
    });
}

/** Runs the benchmark on one fresh homeserver of the given topology. */
export async function runLoad(opts: LoadRunOptions): Promise<LoadRunResult> {
  const hs = await startTestHomeserver({
    topology: opts.topology,
    bcryptRounds: 4,
    ...(opts.topology === 'workers' ? { genericWorkers: 2 } : {}),
  });
  const tracker = new DeliveryTracker();
  let pop: Population | undefined;
  try {
    pop = await populate({ hs, ...opts, tracker });
    const processes = serverProcesses(hs);
    const before = sampleCpu(processes);
    const stopHarness = measureHarness();
    const started = Date.now();
    const windowMs = opts.circulars * opts.intervalS * 1000;
    const acks: Promise<void>[] = [];
    const chat = chatter(pop, tracker, opts.chatShare, windowMs);
    for (let n = 0; n < opts.circulars; n++) {
      const next = delay(opts.intervalS * 1000);
      await issueCircular(pop, tracker, n, opts.ackShare, acks);
      await next;
    }
    await Promise.all(chat);
    await Promise.all(acks);
    // Every delivery, or a minute after the last send: what has not arrived by then is lost.
    const deadline = Date.now() + 60_000;
    while (tracker.outstanding() > 0 && Date.now() < deadline) await delay(250);
    const windowS = (Date.now() - started) / 1000;
    const cpu = cpuBetween(before, sampleCpu(processes));
    const harness = stopHarness();
    const result: LoadRunResult = {
      topology: opts.topology,
      circulars: tracker.figures('circular'),
      messages: tracker.figures('message'),
      cpu,
      windowS,
      sendSpanS: tracker.sendSpanS(),
      syncErrors: pop.members.reduce((s, m) => s + (m.crowd?.errors ?? 0), 0),
      harness,
    };
    return result;
  } finally {
    await pop?.stop().catch(() => undefined);
    await hs.dispose();
  }
}
