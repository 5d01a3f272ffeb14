/**
 * The large room's two send paths side by side, in one run: two community notice rooms with
 * different members (so each send finds its devices cold), one circular each through the fan-out
 * runner, one with the SDK's own per-room preparation (`warmUp: false`, how a single room was sent
 * before the large-room pipeline), the other as the app runs it (preparation waves,
 * warm-up-encryption.ts). Each window is profiled (requests, client and homeserver CPU). Run with
 * `HONGYAN_COMPARE_MEMBERS=1000 npx tsx bench/large-room-compare.ts` (members per room).
 */
import { pathToFileURL } from 'node:url';
import { initAsync } from '@matrix-org/matrix-sdk-crypto-wasm';
import { startTestHomeserver } from '../homeserver/testing';
import { buildCircularContent } from '../shared/circular/circular-content';
import { planFanOut } from '../shared/circular/fan-out';
import { runBounded } from '../shared/concurrency';
import { FanOutRunner } from '../renderer/src/circulars/fan-out-runner';
import { MemoryFanOutStore } from '../renderer/src/circulars/fan-out-store';
import { waitForClient } from '../renderer/src/matrix/wait-for';
import { BENCH_PASSWORD, signInBenchUser } from './chat-helpers';
import { api, createNoticeRoom, uploadDeviceKeys } from './light-clients';
import { describeProfile, profileWindow } from './send-profile';

export async function runLargeRoomCompare(log: (line: string) => void): Promise<void> {
  const perRoom = Number(process.env.HONGYAN_COMPARE_MEMBERS ?? 1000);
  await initAsync();
  const hs = await startTestHomeserver({ bcryptRounds: 4 });
  try {
    const issuerReg = await hs.registerUser({
      username: 'bench.issuer',
      password: BENCH_PASSWORD,
      displayName: '青山社区居委会',
    });
    const units = ['990101001', '990101002'];
    const rooms = await Promise.all(
      units.map((code, i) => createNoticeRoom(hs, issuerReg, { code, name: `社区${i + 1}` })),
    );
    const t0 = performance.now();
    await runBounded({
      items: Array.from({ length: 2 * perRoom }, (_, i) => i),
      concurrency: 8,
      fn: async (i) => {
        const user = await hs.registerUser({ username: `m${String(i).padStart(5, '0')}` });
        await uploadDeviceKeys(hs, user);
        await api(
          hs,
          hs.admin.accessToken,
          'POST',
          `/_synapse/admin/v1/join/${encodeURIComponent(rooms[i % 2] ?? '')}`,
          { user_id: user.userId },
        );
      },
    });
    log(
      `set-up: 2 rooms of ${perRoom} members, each with one device with keys (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
    const issuer = await signInBenchUser(hs, 'bench.issuer');
    await waitForClient(
      issuer.client,
      'both rooms with every member',
      () =>
        rooms.every((id) => issuer.client.getRoom(id)?.getJoinedMemberCount() === perRoom + 1)
          ? true
          : undefined,
      600_000,
    );
    const send = async (roomId: string, unitCode: string, prepare: boolean) => {
      const circularId = crypto.randomUUID();
      const planned = planFanOut({
        circularId,
        unitCodes: [unitCode],
        noticeRoomOf: new Map([[unitCode, roomId]]),
      });
      if (!planned.ok) throw new Error('plan');
      const store = new MemoryFanOutStore();
      await store.put({
        plan: planned.plan,
        content: buildCircularContent({
          circular: {
            id: circularId,
            title: '关于开展消防演练的通知',
            issuingUnit: { code: unitCode, name: '青山社区居委会' },
            urgency: 'urgent',
            issuedAt: Date.now(),
            ackRequired: true,
            attachments: [],
            targets: [{ unitCode, scope: 'unit' }],
            noForward: true,
            body: '各位居民：本周六上午九时在社区广场开展消防演练。',
          },
        }),
        createdAt: Date.now(),
        senderId: issuer.client.getSafeUserId(),
      });
      const runner = new FanOutRunner({
        client: issuer.client,
        store,
        circularId,
        warmUp: prepare,
      });
      const stop = await profileWindow(hs.dataDir);
      const start = performance.now();
      const progress = await runner.run();
      const ms = performance.now() - start;
      const profile = await stop();
      if (progress.sent !== 1) throw new Error(`send failed: ${JSON.stringify(progress)}`);
      log(
        `${prepare ? 'as the app runs it (large-room pipeline)' : "the SDK's own path"}: ${ms.toFixed(0)} ms`,
      );
      for (const line of describeProfile(profile)) log(`  ${line}`);
      return ms;
    };
    // The pipeline goes first: a second send would find the process warmer.
    const pipeline = await send(rooms[1] ?? '', units[1] ?? '', true);
    const sdk = await send(rooms[0] ?? '', units[0] ?? '', false);
    log(
      `pipeline / SDK path: ${(pipeline / sdk).toFixed(2)}× (${pipeline.toFixed(0)} ms vs ${sdk.toFixed(0)} ms, ${perRoom} members each)`,
    );
    await issuer.manager.stop();
  } finally {
    await hs.dispose();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runLargeRoomCompare((line) => console.log(line));
  process.exit(0);
}
