/**
 * Ack-to-dashboard latency over the real homeserver: an issuer's app has a circular's dashboard
 * open; recipients press 签收 one after another; each figure is the time from the recipient's
 * acknowledge call until the issuer's dashboard (the app's CircularsController and store) counts
 * that acknowledgment. Target (design brief): p95 ≤ 2 s.
 *
 * Baseline, in the same run between the same clients: the time for a bare encrypted event from the
 * same recipient to reach the issuer's client and decrypt (send → sync → decrypt), i.e. what any
 * client pays before a dashboard could know. The difference is the dashboard's own cost.
 *
 * Run alone with `npx tsx bench/ack-latency.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { MatrixEventEvent, RoomEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import type { CircularTarget } from '../shared/circular/types';
import { acknowledgeCircular, directAckSender } from '../renderer/src/circulars/acknowledge';
import { CircularsController } from '../renderer/src/circulars/circulars-controller';
import { MemoryFanOutStore } from '../renderer/src/circulars/fan-out-store';
import { prepareCircular } from '../renderer/src/circulars/issue';
import { UNITS, USERS, waitForCopy } from '../testing/org-fixture';
import { startCircularOrg } from '../testing/circular-org';
import { draftToCities } from '../testing/circular-drafts';
import { createAppStore } from '../renderer/src/store/app-store';
import { percentile, versusTarget } from './chat-helpers';

/** Options of {@link runAckLatencyBench}. */
export interface AckLatencyBenchOptions {
  log: (line: string) => void;
  /** Circulars issued one after another; every recipient acknowledges each (default 5 → 30 acks). */
  rounds?: number;
}

/** Figures of one run. */
export interface AckLatencyBenchResult {
  p50Ms: number;
  p95Ms: number;
  baselineP50Ms: number;
  baselineP95Ms: number;
  withinTarget: boolean;
}

const TARGET_P95_MS = 2_000;
const RECIPIENTS = [USERS.c1a, USERS.c1b, USERS.c2a, USERS.c2b, USERS.c3a, USERS.c3b];
const PING_EVENT = 'cn.hongyan.bench.ping';

/** Resolves when the issuer's client holds the decrypted event with this body marker. */
function waitForPing(client: MatrixClient, marker: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (event: MatrixEvent) => {
      if (event.getType() !== PING_EVENT || event.getContent().marker !== marker) return;
      client.off(RoomEvent.Timeline, check);
      client.off(MatrixEventEvent.Decrypted, check);
      resolve();
    };
    client.on(RoomEvent.Timeline, check);
    client.on(MatrixEventEvent.Decrypted, check);
  });
}

/** Runs the benchmark and logs its figures beside the target and the baseline. */
export async function runAckLatencyBench(
  options: AckLatencyBenchOptions,
): Promise<AckLatencyBenchResult> {
  const { log } = options;
  const rounds = options.rounds ?? 5;
  const circ = await startCircularOrg({ people: RECIPIENTS });
  const { issuer, org } = circ;
  const store = createAppStore();
  let controller: CircularsController | undefined;
  try {
    store.getState().setOrg(org);
    controller = new CircularsController({
      client: issuer.client,
      store,
      fanOuts: new MemoryFanOutStore(),
      sendAck: directAckSender(issuer.client),
    });
    controller.start();
    log(`  set-up: 3 encrypted notice rooms, 1 issuer, ${RECIPIENTS.length} recipients signed in`);

    const targets: CircularTarget[] = [{ unitCode: UNITS.province, scope: 'level', level: 'city' }];
    const acked = (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if ((store.getState().dashboard?.aggregate?.totals.acknowledged ?? -1) < n) return;
          unsubscribe();
          resolve();
        };
        const unsubscribe = store.subscribe(check);
        check();
      });

    const samples: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const prepared = await prepareCircular({
        client: issuer.client,
        org,
        draft: draftToCities(`防汛工作通知（第${round + 1}轮）`, {
          docNumber: `示府办〔2026〕${20 + round}号`,
          noForward: true,
          body: '各市人民政府：请于今日内签收。',
          targets,
        }),
      });
      await controller.issue(prepared);
      const circularId = prepared.circular.id;
      // The dashboard is opened by command, as the app's view does (the controller is its only writer).
      await controller.openDashboard(circularId);
      await acked(0);
      let count = 0;
      for (const username of RECIPIENTS) {
        const client = circ.people[username]?.client;
        if (!client) throw new Error(`${username} is not signed in`);
        const { event: copy } = await waitForCopy(client, circularId);
        const roomId = copy.getRoomId() ?? '';

        // Baseline: a bare encrypted event from the same recipient to the same issuer.
        const marker = `${round}-${username}`;
        const arrived = waitForPing(issuer.client, marker);
        const b0 = performance.now();
        await client.sendEvent(roomId, PING_EVENT as never, { marker } as never);
        await arrived;
        baseline.push(performance.now() - b0);

        count += 1;
        const shown = acked(count);
        const t0 = performance.now();
        await acknowledgeCircular({
          send: directAckSender(client),
          roomId,
          eventId: copy.getId() ?? '',
          circular: prepared.circular,
        });
        await shown;
        samples.push(performance.now() - t0);
      }
    }

    const result: AckLatencyBenchResult = {
      p50Ms: percentile(samples, 50),
      p95Ms: percentile(samples, 95),
      baselineP50Ms: percentile(baseline, 50),
      baselineP95Ms: percentile(baseline, 95),
      withinTarget: percentile(samples, 95) <= TARGET_P95_MS,
    };
    log(
      `  ack → issuer's open dashboard, ${samples.length} acks in encrypted notice rooms: p50 ${result.p50Ms.toFixed(0)} ms, p95 ${versusTarget(result.p95Ms, TARGET_P95_MS)}`,
    );
    log(
      `  baseline, a bare encrypted event from the same recipients to the issuer's client (send → sync → decrypt): p50 ${result.baselineP50Ms.toFixed(0)} ms, p95 ${result.baselineP95Ms.toFixed(0)} ms`,
    );
    return result;
  } finally {
    controller?.stop();
    await circ.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runAckLatencyBench({ log: (line) => console.log(line) });
  process.exitCode = result.withinTarget ? 0 : 1;
}
