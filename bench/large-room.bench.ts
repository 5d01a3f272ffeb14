/**
 * Large-room benchmark: a community notice room of 5,000 members (HONGYAN_BENCH_SCALE scales it),
 * each with one device with keys. Two circulars, encrypted by the app's fan-out runner through a Node
 * client with Rust crypto. The first is sent cold, with nothing prepared: the first circular the
 * issuer sends to the room, so device lists, one-time-key claims, 5,000 Olm sessions and the room
 * key shares all fall inside its window. The second is sent as the app sends: the compose view
 * prepares the encryption when the issuer picks the target room (a fresh room key shared with every
 * device, timed on its own), and "send" is timed until the event is accepted. Beside them, the same
 * send unencrypted by a bare HTTP client (mean of one before and one after). Target (design brief):
 * ≤ 20 s and ≤ 2×, for the send as the app sends it; the cold figure is printed beside it.
 *
 * Delivery is checked, not assumed: every member's device syncs its to-device inbox and must hold the
 * issuer's key share, and a sample of devices decrypts the circular with its own OlmMachine. Then
 * half of the members mark it read and a quarter acknowledge it (encrypted, the key shared with the
 * issuer only), and the issuer's dashboard for the
 * room is built as the app builds it (collect from the client and the server, then aggregate).
 *
 * Members are light clients: registered through the admin API, keys uploaded by an in-memory
 * OlmMachine, joined by the admin API; they run no SDK client. Run alone with
 * `npx tsx bench/large-room.bench.ts`. HONGYAN_BENCH_NO_PREPARE=1 sends through the SDK's own path;
 * bench/large-room-compare.ts compares the two paths in one run.
 */
import { pathToFileURL } from 'node:url';
import { initAsync } from '@matrix-org/matrix-sdk-crypto-wasm';
import { startTestHomeserver } from '../homeserver/testing';
import { aggregateCircular } from '../shared/circular/aggregate';
import { buildCircularContent } from '../shared/circular/circular-content';
import { planFanOut } from '../shared/circular/fan-out';
import { CIRCULAR_MSGTYPE } from '../shared/matrix-types';
import { collectDashboardInput, DashboardCache } from '../renderer/src/circulars/collect-dashboard';
import { FanOutRunner } from '../renderer/src/circulars/fan-out-runner';
import { MemoryFanOutStore } from '../renderer/src/circulars/fan-out-store';
import { prepareFanOutEncryption } from '../renderer/src/circulars/warm-up-encryption';
import { waitForClient } from '../renderer/src/matrix/wait-for';
import {
  BENCH_PASSWORD,
  signInBenchUser,
  versusTarget,
  type EncryptedSendFigures,
} from './chat-helpers';
import { api, createNoticeRoom, uploadDeviceKeys } from './light-clients';
import { runBounded } from '../shared/concurrency';
import { installDom } from './jsdom-global';
import { describeProfile, profileWindow } from './send-profile';
import {
  DECRYPT_SAMPLE,
  readAndAcknowledge,
  verifyKeyDelivery,
  type LightMember,
} from './large-room-members';

/** Options of {@link runLargeRoomBench}. */
export interface LargeRoomBenchOptions {
  log: (line: string) => void;
  /** Members of the room besides the issuer (default 5,000 × HONGYAN_BENCH_SCALE). */
  members?: number;
}

/** Figures of one run: the send to the room (cold is the first circular to it) against plain. */
export interface LargeRoomBenchResult extends EncryptedSendFigures {
  members: number;
  /** The preparation while composing: a fresh room key shared with every device. */
  prepareMs: number;
  dashboardMs: number;
  /** `large-room: N members, encrypted X ms, R.Rx plain`, printed last by `npm run bench`. */
  summaryLine: string;
}

const TARGET_MS = 20_000;
const TARGET_RATIO = 2;
const UNIT = '990101001';
/** The small room beside it (the floor of the responsiveness figures): its first members. */
const SMALL_UNIT = '990101002';
const SMALL_MEMBERS = 50;

export async function runLargeRoomBench(
  options: LargeRoomBenchOptions,
): Promise<LargeRoomBenchResult> {
  const { log } = options;
  const scale = Number(process.env.HONGYAN_BENCH_SCALE ?? 1);
  const count = options.members ?? Math.max(10, Math.round(5000 * scale));
  await initAsync();
  const hs = await startTestHomeserver({ bcryptRounds: 4 });
  const members: LightMember[] = [];
  try {
    const setupStart = performance.now();
    const issuerReg = await hs.registerUser({
      username: 'bench.issuer',
      password: BENCH_PASSWORD,
      displayName: '青山社区居委会',
    });
    const roomId = await createNoticeRoom(hs, issuerReg, { code: UNIT, name: '青山社区' });
    const smallRoomId = await createNoticeRoom(hs, issuerReg, {
      code: SMALL_UNIT,
      name: '青山小区',
    });
    const smallCount = Math.min(SMALL_MEMBERS, count);
    await runBounded({
      items: Array.from({ length: count }, (_, i) => i),
      concurrency: 8,
      fn: async (i) => {
        const user = await hs.registerUser({ username: `m${String(i).padStart(5, '0')}` });
        // Kept: the decrypting sample, and every fourth member, who acknowledges later.
        const machine = await uploadDeviceKeys(hs, user, i < DECRYPT_SAMPLE || i % 4 === 0);
        members[i] = { ...user, ...(machine ? { machine } : {}) };
        for (const room of i < smallCount ? [roomId, smallRoomId] : [roomId])
          await api(
            hs,
            hs.admin.accessToken,
            'POST',
            `/_synapse/admin/v1/join/${encodeURIComponent(room)}`,
            { user_id: user.userId },
          );
      },
    });
    log(
      `  set-up: ${count} members registered, each with one device with keys, joined (${((performance.now() - setupStart) / 1000).toFixed(0)} s)`,
    );

    const issuer = await signInBenchUser(hs, 'bench.issuer');
    const room = await waitForClient(
      issuer.client,
      'the room with every member',
      () => {
        const r = issuer.client.getRoom(roomId);
        const small = issuer.client.getRoom(smallRoomId);
        return r &&
          r.getJoinedMemberCount() === count + 1 &&
          small?.getJoinedMemberCount() === smallCount + 1
          ? r
          : undefined;
      },
      600_000,
    );

    const circularOf = (title: string) => ({
      id: crypto.randomUUID(),
      title,
      issuingUnit: { code: UNIT, name: '青山社区居委会' },
      urgency: 'urgent' as const,
      issuedAt: Date.now(),
      ackDeadline: Date.now() + 2 * 86_400_000,
      ackRequired: true,
      attachments: [],
      targets: [{ unitCode: UNIT, scope: 'unit' as const }],
      noForward: true,
      body: '各位居民：\n\n本周六上午九时在社区广场开展消防演练，请准时参加。'.repeat(3),
    });
    const plainSend = async (tag: string): Promise<number> => {
      const content = buildCircularContent({ circular: circularOf('关于开展消防演练的通知') });
      const start = performance.now();
      await api(
        hs,
        issuerReg.accessToken,
        'PUT',
        `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/bench-plain-${tag}`,
        content,
      );
      const ms = performance.now() - start;
      log(`  baseline ${tag}: ${ms.toFixed(1)} ms`);
      return ms;
    };
    const plainBefore = await plainSend('before');

    // HONGYAN_BENCH_NO_PREPARE=1: the SDK's own path alone (how one room was sent before the
    // large-room pipeline), for comparing runs.
    const pipeline = process.env.HONGYAN_BENCH_NO_PREPARE !== '1';
    /** Sends one circular through the app's fan-out runner and times "send" → event accepted. */
    const issue = async (circular: ReturnType<typeof circularOf>, label: string) => {
      const planned = planFanOut({
        circularId: circular.id,
        unitCodes: [UNIT],
        noticeRoomOf: new Map([[UNIT, roomId]]),
      });
      if (!planned.ok) throw new Error(`plan: ${JSON.stringify(planned.errors)}`);
      const store = new MemoryFanOutStore();
      await store.put({
        plan: planned.plan,
        content: buildCircularContent({ circular }),
        createdAt: Date.now(),
        senderId: issuer.client.getSafeUserId(),
      });
      const runner = new FanOutRunner({
        client: issuer.client,
        store,
        circularId: circular.id,
        warmUp: pipeline,
      });
      const stopProfile = await profileWindow(hs.dataDir);
      const start = performance.now();
      const progress = await runner.run();
      const ms = performance.now() - start;
      log(`  ${label}:`);
      for (const line of describeProfile(await stopProfile())) log(`    ${line}`);
      if (progress.sent !== 1)
        throw new Error(`encrypted send (${label}) failed: ${JSON.stringify(progress)}`);
      return ms;
    };

    // Cold: "send" pressed with nothing prepared, the first circular the issuer ever sends to the
    // room: device lists, key claims, 5,000 Olm sessions, the room key to every device and the
    // encrypted event, all inside the timed window.
    const coldCircular = circularOf('关于开展消防演练的通知');
    const coldMs = await issue(
      coldCircular,
      `cold (${pipeline ? 'the fan-out runner, nothing prepared' : "the SDK's own path (HONGYAN_BENCH_NO_PREPARE=1)"})`,
    );

    // As the app sends: compose prepares the encryption when the issuer picks the target room
    // (circulars-controller prepareEncryption → prepareFanOutEncryption: a fresh room key, shared
    // with every device), so the window from "send" holds only the encryption of the circular and
    // its send. The preparation is timed on its own.
    const circular = circularOf('关于做好冬季供暖安全工作的通知');
    let encryptedMs = coldMs;
    let prepareMs = 0;
    if (pipeline) {
      const prepStart = performance.now();
      const prepared = await prepareFanOutEncryption(issuer.client, [roomId]);
      prepareMs = performance.now() - prepStart;
      log(
        `  preparation while composing (target room picked): ${(prepareMs / 1000).toFixed(1)} s, room key shared in ${prepared.preShare.calls} /sendToDevice calls (${prepared.preShare.messages} messages)`,
      );
      encryptedMs = await issue(circular, 'send, encryption prepared while composing');
    }
    const plainMs = (plainBefore + (await plainSend('after'))) / 2;

    const sentCirculars = pipeline ? [coldCircular, circular] : [coldCircular];
    const eventIds: string[] = [];
    for (const c of sentCirculars) {
      const event = await waitForClient(
        issuer.client,
        'the sent circular',
        () =>
          room
            .getLiveTimeline()
            .getEvents()
            .find((e) => {
              const content = e.getContent()[CIRCULAR_MSGTYPE] as { id?: string } | undefined;
              return content?.id === c.id && !e.isSending() ? e : undefined;
            }),
        120_000,
      );
      eventIds.push(event.getId() ?? '');
    }
    // The circular whose acknowledgments the dashboard shows: the one sent as the app sends.
    const dashboardCircular = sentCirculars[sentCirculars.length - 1] ?? coldCircular;
    const eventId = eventIds[eventIds.length - 1] ?? '';

    // Delivery: every device holds a key share from the issuer for each circular; the sample
    // decrypts every circular.
    await verifyKeyDelivery({
      hs,
      members,
      roomId,
      issuerId: issuerReg.userId,
      circulars: sentCirculars.map((c, i) => ({ title: c.title, eventId: eventIds[i] ?? '' })),
    });
    log(
      `  delivery: room key shares of ${sentCirculars.length === 1 ? 'the circular' : `both circulars`} in all ${count} devices' inboxes; ${DECRYPT_SAMPLE} devices decrypted ${sentCirculars.length === 1 ? 'it' : 'both'}`,
    );

    // Residents read and acknowledge; the issuer's dashboard collects and aggregates it.
    await readAndAcknowledge({
      hs,
      members,
      roomId,
      eventId,
      issuerId: issuerReg.userId,
      circular: dashboardCircular,
    });
    const readers = Math.ceil(count / 2);
    await waitForClient(
      issuer.client,
      "every member's read receipt",
      () =>
        members.filter((m, i) => i % 2 === 0 && room.getReadReceiptForUserId(m.userId, true))
          .length === readers
          ? true
          : undefined,
      300_000,
    );
    const acked = Math.ceil(count / 4);
    const openDashboard = async () => {
      const start = performance.now();
      const input = await collectDashboardInput({
        client: issuer.client,
        circular: dashboardCircular,
        copies: [{ roomId, eventId, unitCode: UNIT }],
        cache: new DashboardCache(),
        refetchAcks: true,
        now: Date.now(),
      });
      const collectMs = performance.now() - start;
      const aggregate = aggregateCircular(input);
      const counts = { unread: 0, read: 0, acknowledged: 0 };
      for (const r of aggregate.recipients) counts[r.status] += 1;
      return { collectMs, aggregateMs: performance.now() - start - collectMs, aggregate, counts };
    };
    // The acks' keys reach the issuer by to-device messages; wait until all of them decrypt.
    const deadline = Date.now() + 300_000;
    let dash = await openDashboard();
    while (dash.counts.acknowledged < acked && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      dash = await openDashboard();
    }
    // Timed: opening the dashboard once everything has arrived (a fresh cache, acks from the server).
    dash = await openDashboard();
    const { collectMs, aggregateMs, counts } = dash;
    const dashboardMs = collectMs + aggregateMs;
    if (dash.aggregate.recipients.length !== count || counts.acknowledged !== acked)
      throw new Error(`dashboard counts ${JSON.stringify(counts)} for ${count} members`);

    // Responsiveness of the views with this room, beside the same in the small room.
    installDom();
    const { measureRoomViews, describeUiFigure } = await import('./large-room-ui');
    const ui = await measureRoomViews({
      manager: issuer.manager,
      client: issuer.client,
      large: { roomId, members: count },
      small: { roomId: smallRoomId, members: smallCount },
      circular: dashboardCircular,
      largeAggregate: dash.aggregate,
      smallAggregate: {
        ...dash.aggregate,
        recipients: dash.aggregate.recipients.slice(0, smallCount),
      },
    });
    await issuer.manager.stop();

    const ratio = encryptedMs / plainMs;
    const withinTarget = encryptedMs <= TARGET_MS && ratio <= TARGET_RATIO;
    log(
      `  encrypted send as the app sends it (room key shared while composing) → the event accepted: ${versusTarget(encryptedMs, TARGET_MS)}`,
    );
    if (pipeline)
      log(
        `  cold, nothing prepared before "send" (the first circular to the room: ${count} Olm sessions and key shares inside the window): ${(coldMs / 1000).toFixed(1)} s, ${(coldMs / plainMs).toFixed(1)}× plain`,
      );
    log(
      `  baseline, the same send unencrypted (bare HTTP PUT /send, mean of before and after): ${plainMs.toFixed(1)} ms`,
    );
    log(
      `  ratio encrypted / plain: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×${ratio <= TARGET_RATIO ? ', met' : ', MISSED'})`,
    );
    log(
      `  dashboard for the room (${count} recipients: ${counts.unread} unread, ${counts.read} read, ${counts.acknowledged} acknowledged): ` +
        `${dashboardMs.toFixed(0)} ms (collect from client and server ${collectMs.toFixed(0)} ms, aggregate ${aggregateMs.toFixed(1)} ms)`,
    );
    log(
      "  responsiveness of the views (real components under jsdom, the issuer's client; median of 5):",
    );
    for (const f of ui) log(`    ${describeUiFigure(f, count, smallCount)}`);
    const summaryLine = `large-room: ${count} members, encrypted ${encryptedMs.toFixed(0)} ms, ${ratio.toFixed(1)}x plain`;
    return {
      members: count,
      encryptedMs,
      coldMs,
      prepareMs,
      plainMs,
      ratio,
      dashboardMs,
      withinTarget,
      summaryLine,
    };
  } finally {
    // A machine still busy after a failure cannot be closed; the process ends anyway.
    for (const m of members) {
      try {
        m?.machine?.close();
      } catch {
        /* still borrowed by the failed call */
      }
    }
    await hs.dispose();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLargeRoomBench({ log: (line) => console.log(line) });
  console.log(result.summaryLine);
  process.exitCode = result.withinTarget ? 0 : 1;
}
