/**
 * Late recipients over the real homeserver: a circular is sent to provisioned accounts that have
 * never signed in (no device, so no Megolm key was shared with them); each then signs in for the
 * first time, one after another, with one issuer device online. Each figure is the time from the
 * start of that first sign-in until the circular is decrypted on the new device, which needs the
 * key-grant round trip (request over Olm → the issuer device checks membership at the send and the
 * device → grant over Olm → import → decrypt). The new device sets up cross-signing meanwhile, as
 * the app's first sign-in does. Target: p95 ≤ 10 s.
 *
 * Baseline, the same sign-ins: the time to the first sync, when the device holds the circular's
 * copy but cannot decrypt it yet. The difference is what the key grant costs.
 *
 * Run alone with `npx tsx bench/late-recipient.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { applyOrgSpec } from '../admin/apply';
import { startTestHomeserver } from '../homeserver/testing';
import type { OrgSpec } from '../shared/org/spec-types';
import { provinceIssuer, provinceOrgSpec } from '../testing/org-specs';
import { FanOutRunner } from '../renderer/src/circulars/fan-out-runner';
import { MemoryFanOutStore } from '../renderer/src/circulars/fan-out-store';
import { prepareCircular, saveFanOut } from '../renderer/src/circulars/issue';
import { keyGrants } from '../renderer/src/circulars/key-grants';
import { waitForCopy, waitForOrg } from '../testing/org-fixture';
import { passwordAuth } from '../renderer/src/matrix/crypto-setup';
import { BENCH_PASSWORD, percentile, signInBenchUser, versusTarget } from './chat-helpers';

/** Options of {@link runLateRecipientBench}. */
export interface LateRecipientBenchOptions {
  log: (line: string) => void;
  /** Recipients who sign in for the first time after the send (default 20). */
  recipients?: number;
}

/** Figures of one run. */
export interface LateRecipientBenchResult {
  recipients: number;
  p50Ms: number;
  p95Ms: number;
  baselineP50Ms: number;
  baselineP95Ms: number;
  withinTarget: boolean;
  summaryLine: string;
}

const TARGET_P95_MS = 10_000;
const CITIES = ['c1', 'c2'];

function benchSpec(recipients: number): OrgSpec {
  return provinceOrgSpec([
    provinceIssuer(BENCH_PASSWORD, 'issuer'),
    ...Array.from({ length: recipients }, (_, i) => ({
      username: recipientName(i),
      displayName: `接收人${i + 1}`,
      unit: CITIES[i % CITIES.length]!,
      password: BENCH_PASSWORD,
    })),
  ]);
}

function recipientName(i: number): string {
  return `late${String(i + 1).padStart(2, '0')}`;
}

/** Runs the benchmark and logs each figure beside its baseline and the target. */
export async function runLateRecipientBench(
  options: LateRecipientBenchOptions,
): Promise<LateRecipientBenchResult> {
  const { log } = options;
  const count = options.recipients ?? Number(process.env.HONGYAN_LATE_RECIPIENTS ?? 20);
  const hs = await startTestHomeserver({ bcryptRounds: 4 });
  const stops: (() => Promise<void>)[] = [];
  try {
    await applyOrgSpec({
      homeserverUrl: hs.baseUrl,
      adminToken: hs.admin.accessToken,
      spec: benchSpec(count),
    });
    const issuer = await signInBenchUser(hs, 'issuer');
    keyGrants(issuer.client).start({ request: false });
    stops.push(async () => {
      keyGrants(issuer.client).stop();
      await issuer.manager.stop();
    });
    const org = await waitForOrg(issuer.client, CITIES);
    const prepared = await prepareCircular({
      client: issuer.client,
      org,
      draft: {
        title: '关于做好年末安全生产检查的通知',
        issuingUnit: { code: 'p', name: '示范省人民政府办公厅' },
        urgency: 'normal',
        ackRequired: true,
        ackDeadline: Date.now() + 3 * 86_400_000,
        noForward: false,
        body: '各市人民政府：请于本周内完成自查并签收。',
        targets: [{ unitCode: 'p', scope: 'level', level: 'city' }],
        attachments: [],
      },
    });
    const store = new MemoryFanOutStore();
    await saveFanOut({ store, prepared, senderId: issuer.client.getSafeUserId() });
    const runner = new FanOutRunner({
      client: issuer.client,
      store,
      circularId: prepared.circular.id,
    });
    const sent = await runner.run();
    if (!sent.done) throw new Error(`the circular reached ${sent.sent} of ${CITIES.length} rooms`);
    log(
      `  set-up: ${count} provisioned recipients without a device, the circular sent to ${CITIES.length} notice rooms, 1 issuer device online`,
    );

    const decrypted: number[] = [];
    const firstSync: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const t0 = performance.now();
      const late = await signInBenchUser(hs, recipientName(i));
      firstSync.push(performance.now() - t0);
      const service = keyGrants(late.client);
      service.start();
      // What the app's first sign-in does meanwhile: create the user's cross-signing identity.
      const identity = late.client.getCrypto()?.bootstrapCrossSigning({
        setupNewCrossSigning: true,
        authUploadDeviceSigningKeys: passwordAuth(late.client, BENCH_PASSWORD),
      });
      await waitForCopy(late.client, prepared.circular.id);
      decrypted.push(performance.now() - t0);
      await identity;
      service.stop();
      await late.manager.stop();
    }

    const p50Ms = percentile(decrypted, 50);
    const p95Ms = percentile(decrypted, 95);
    const baselineP50Ms = percentile(firstSync, 50);
    const baselineP95Ms = percentile(firstSync, 95);
    log(
      `  first sign-in → circular decrypted, ${count} recipients: p50 ${p50Ms.toFixed(0)} ms (baseline ${baselineP50Ms.toFixed(0)} ms), p95 ${versusTarget(p95Ms, TARGET_P95_MS)} (baseline ${baselineP95Ms.toFixed(0)} ms)`,
    );
    log(
      `  baseline, the same sign-ins to their first sync (the copy held, not yet decryptable): p50 ${baselineP50Ms.toFixed(0)} ms, p95 ${baselineP95Ms.toFixed(0)} ms`,
    );
    return {
      recipients: count,
      p50Ms,
      p95Ms,
      baselineP50Ms,
      baselineP95Ms,
      withinTarget: p95Ms <= TARGET_P95_MS,
      summaryLine: `late-recipient: ${count} recipients, p95 ${p95Ms.toFixed(0)} ms to decrypted`,
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await hs.dispose();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLateRecipientBench({ log: (line) => console.log(line) });
  console.log(result.summaryLine);
  process.exitCode = result.withinTarget ? 0 : 1;
}
