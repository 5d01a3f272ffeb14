/**
 * Circular fan-out benchmark: one encrypted circular to 144 unit notice rooms (a province, its 13
 * cities and 130 counties) with 1,440 recipients, sent by the app's own fan-out runner through a
 * Node client with Rust crypto, timed from "send" until every copy is accepted by the server.
 * Target (design brief): ≤ 15 s, and within 2× of the baseline measured in the same run: the same
 * 144 sends made unencrypted by a bare HTTP client (`fetch` PUT /send), run once before and once
 * after the encrypted fan-out (the mean is the baseline).
 *
 * Every recipient has one device with uploaded device and one-time keys (an in-memory OlmMachine
 * per user, discarded after the upload), so the issuer's client really claims keys and shares the
 * room key with 1,440 devices. The recipients run no clients.
 *
 * Two encrypted fan-outs are timed. Cold first: "send" pressed with nothing prepared, so the runner
 * fetches the device lists, claims one-time keys, opens 1,440 Olm sessions and shares every room's
 * key inside the window. Then prepared, as the app does it: encryption is prepared when the issuer
 * picks the targets (see warm-up-encryption.ts; the preparation is timed and printed on its own)
 * and "send" runs the fan-out. Both must stay within 2× of the baseline.
 *
 * Run alone with `npx tsx bench/fanout.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { initAsync } from '@matrix-org/matrix-sdk-crypto-wasm';
import { startTestHomeserver } from '../homeserver/testing';
import { buildCircularContent } from '../shared/circular/circular-content';
import { planFanOut } from '../shared/circular/fan-out';
import { CIRCULAR_MSGTYPE } from '../shared/matrix-types';
import {
  DEFAULT_FAN_OUT_CONCURRENCY,
  FanOutEvent,
  FanOutRunner,
} from '../renderer/src/circulars/fan-out-runner';
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
import { describeProfile, profileWindow } from './send-profile';
import { runBounded } from '../shared/concurrency';
import { cpuBetween, sampleCpu, serverProcesses } from './load/process-cpu';

/** Options of {@link runFanoutBench}. */
export interface FanoutBenchOptions {
  log: (line: string) => void;
  /** Notice rooms (default 144). */
  rooms?: number;
  /** Recipients per room (default 10). */
  recipientsPerRoom?: number;
  /** Rooms sent at once by the runner and by the baseline (default: the app's, DEFAULT_FAN_OUT_CONCURRENCY). */
  concurrency?: number;
}

/** Figures of one run: the fan-out encrypted (prepared while composing, and cold) against plain. */
export interface FanoutBenchResult extends EncryptedSendFigures {
  /** `coldMs / plainMs`. */
  coldRatio: number;
}

const TARGET_MS = 15_000;
const TARGET_RATIO = 2;

/** Sets up the rooms and recipients, then measures both fan-outs. */
export async function runFanoutBench(options: FanoutBenchOptions): Promise<FanoutBenchResult> {
  const { log } = options;
  const roomCount = options.rooms ?? 144;
  const perRoom = options.recipientsPerRoom ?? 10;
  const concurrency = options.concurrency ?? DEFAULT_FAN_OUT_CONCURRENCY;
  await initAsync();
  const hs = await startTestHomeserver({ bcryptRounds: 4 });
  try {
    const setupStart = performance.now();
    const issuerReg = await hs.registerUser({
      username: 'bench.issuer',
      password: BENCH_PASSWORD,
      displayName: '省政府办公厅',
    });
    const units = Array.from({ length: roomCount }, (_, i) => `u${String(i).padStart(4, '0')}`);
    const roomIds: string[] = [];
    await runBounded({
      items: units,
      concurrency: 8,
      fn: async (code, i) => {
        roomIds[i] = await createNoticeRoom(hs, issuerReg, { code, name: `单位 ${code}` });
      },
    });
    log(`  set-up: ${roomCount} encrypted notice rooms created`);
    const recipients = Array.from({ length: roomCount * perRoom }, (_, i) => ({
      username: `r${String(i).padStart(5, '0')}`,
      room: Math.floor(i / perRoom),
    }));
    await runBounded({
      items: recipients,
      concurrency: 8,
      fn: async (r) => {
        const user = await hs.registerUser({ username: r.username });
        await uploadDeviceKeys(hs, user);
        await api(
          hs,
          hs.admin.accessToken,
          'POST',
          `/_synapse/admin/v1/join/${encodeURIComponent(roomIds[r.room] ?? '')}`,
          { user_id: user.userId },
        );
      },
    });
    log(
      `  set-up: ${recipients.length} recipients registered, each with one device with keys, joined (${((performance.now() - setupStart) / 1000).toFixed(0)} s)`,
    );

    const issuer = await signInBenchUser(hs, 'bench.issuer');
    await waitForClient(
      issuer.client,
      'every notice room',
      () =>
        roomIds.every((id) => issuer.client.getRoom(id)?.getMyMembership() === 'join')
          ? true
          : undefined,
      300_000,
    );

    const circularOf = (title: string) => ({
      id: crypto.randomUUID(),
      title,
      docNumber: '示府办〔2026〕12号',
      issuingUnit: { code: '990000', name: '示范省人民政府办公厅' },
      urgency: 'extra_urgent' as const,
      issuedAt: Date.now(),
      ackDeadline: Date.now() + 2 * 86_400_000,
      ackRequired: true,
      attachments: [],
      targets: [{ unitCode: '990000', scope: 'subtree' as const }],
      noForward: true,
      body: '各市、县人民政府：\n\n现将有关事项通知如下，请认真贯彻落实。'.repeat(4),
    });
    const store = new MemoryFanOutStore();
    // CPU seconds of Synapse and of this client process per step: on a shared machine the wall
    // times wander with other load, the CPU each side spent does much less.
    const server = serverProcesses(hs);
    const cpu = new Map<string, { server: number; client: number }>();
    const withCpu = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
      const s0 = sampleCpu(server);
      const c0 = process.cpuUsage();
      const result = await fn();
      const c1 = process.cpuUsage(c0);
      const serverCpu = [...cpuBetween(s0, sampleCpu(server)).values()].reduce((a, b) => a + b, 0);
      cpu.set(step, { server: serverCpu, client: (c1.user + c1.system) / 1e6 });
      return result;
    };
    const cpuOf = (step: string): string => {
      const c = cpu.get(step);
      return c ? `CPU: Synapse ${c.server.toFixed(1)} s, client ${c.client.toFixed(1)} s` : '';
    };
    /** Stores a circular's fan-out record, as the compose view does on "send". */
    const stored = async (title: string): Promise<string> => {
      const circular = circularOf(title);
      const planned = planFanOut({
        circularId: circular.id,
        unitCodes: units,
        noticeRoomOf: new Map(units.map((c, i) => [c, roomIds[i] ?? ''])),
      });
      if (!planned.ok) throw new Error(`plan: ${JSON.stringify(planned.errors)}`);
      await store.put({
        plan: planned.plan,
        content: buildCircularContent({ circular }),
        createdAt: Date.now(),
        senderId: issuer.client.getSafeUserId(),
      });
      return circular.id;
    };
    /** "Send" pressed: the app's runner, timed until every copy is accepted. */
    const timedRun = async (circularId: string): Promise<{ ms: number; firstCopyMs: number }> => {
      const runner = new FanOutRunner({ client: issuer.client, store, circularId, concurrency });
      const start = performance.now();
      let firstCopyMs = NaN;
      runner.on(FanOutEvent.Progress, (p) => {
        if (p.sent === 1) firstCopyMs = performance.now() - start;
      });
      const progress = await runner.run();
      const ms = performance.now() - start;
      if (progress.sent !== roomCount)
        throw new Error(`fan-out sent ${progress.sent}/${roomCount}: ${JSON.stringify(progress)}`);
      return { ms, firstCopyMs };
    };

    // Baseline: the same sends, unencrypted, by a bare HTTP client; once before and once after the
    // encrypted fan-outs, so neither side alone pays for the server's after-work of the other.
    const plainFanOut = async (tag: string): Promise<number> => {
      const plainContent = buildCircularContent({
        circular: circularOf('关于做好防汛准备工作的通知'),
      });
      const start = performance.now();
      await runBounded({
        items: roomIds,
        concurrency: concurrency,
        fn: async (roomId, i) => {
          const txn = `bench-plain-${tag}-${plainContent[CIRCULAR_MSGTYPE].id}-${i}`;
          await api(
            hs,
            issuerReg.accessToken,
            'PUT',
            `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`,
            plainContent,
          );
        },
      });
      const ms = performance.now() - start;
      log(`  baseline ${tag}: ${ms.toFixed(1)} ms`);
      return ms;
    };
    const plainBefore = await withCpu('before', () => plainFanOut('before'));

    // Cold: "send" pressed with nothing prepared (no device list, no Olm session, no room key):
    // the runner prepares and sends in one timed window.
    const coldId = await stored('关于做好防汛准备工作的通知');
    const stopProfile = await profileWindow(hs.dataDir);
    const cold = await withCpu('cold', () => timedRun(coldId));
    const coldProfile = describeProfile(await stopProfile());

    // Warm, as the app does it: encryption is prepared once the issuer has picked the targets (while
    // the title and text are still being written): device lists, Olm sessions (those of the cold
    // run are reused, as they would be by a second circular) and every room's new key, in batches.
    const warmId = await stored('关于做好防汛物资储备工作的通知');
    const prepStart = performance.now();
    const { warmUp: prepared, preShare } = await withCpu('prepare', () =>
      prepareFanOutEncryption(issuer.client, roomIds),
    );
    const prepareMs = performance.now() - prepStart;
    const warm = await withCpu('warm', () => timedRun(warmId));
    const encryptedMs = warm.ms;
    const coldMs = cold.ms;

    const plainMs = (plainBefore + (await withCpu('after', () => plainFanOut('after')))) / 2;
    await issuer.manager.stop();

    const ratio = encryptedMs / plainMs;
    const coldRatio = coldMs / plainMs;
    const withinTarget =
      encryptedMs <= TARGET_MS && ratio <= TARGET_RATIO && coldRatio <= TARGET_RATIO;
    const met = (r: number) => (r <= TARGET_RATIO ? 'met' : 'MISSED');
    log(
      `  encrypted fan-out via the app, prepared while composing, send → all ${roomCount} copies accepted (${recipients.length} recipients' devices): ${versusTarget(encryptedMs, TARGET_MS)}; first copy after ${warm.firstCopyMs.toFixed(0)} ms; ${cpuOf('warm')}`,
    );
    log(
      `  encryption prepared while composing: ${prepareMs.toFixed(0)} ms for ${prepared.users} users' devices ` +
        `(members ${prepared.membersMs.toFixed(0)}, device lists ${prepared.deviceListsMs.toFixed(0)}, one-time key claim ${prepared.keyClaimMs.toFixed(0)}, ` +
        `room keys of ${preShare.rooms} rooms: ${preShare.requests} key-share requests with ${preShare.messages} messages in ${preShare.calls} /sendToDevice calls); ${cpuOf('prepare')}`,
    );
    log(
      `  encrypted fan-out via the app, cold (nothing prepared: devices, Olm sessions and room keys inside the window): ${coldMs.toFixed(0)} ms; first copy after ${cold.firstCopyMs.toFixed(0)} ms; ${cpuOf('cold')}`,
    );
    for (const line of coldProfile) log(`    ${line}`);
    log(
      `  baseline, unencrypted bare HTTP PUT /send ×${roomCount} (mean of before and after): ${plainMs.toFixed(1)} ms; ${cpuOf('before')} before, ${cpuOf('after')} after`,
    );
    log(
      `  ratio encrypted send / baseline: prepared ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×, ${met(ratio)}); ` +
        `cold ${coldRatio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×, ${met(coldRatio)})`,
    );
    return { encryptedMs, coldMs, plainMs, ratio, coldRatio, withinTarget };
  } finally {
    await hs.dispose();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runFanoutBench({ log: (line) => console.log(line) });
  process.exitCode = result.withinTarget ? 0 : 1;
}
