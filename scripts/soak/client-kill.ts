/**
 * Step 2 of a soak round: a fan-out run by a separate client process (its own device, its store in
 * a file) is SIGKILLed after a random number of copies, then resumed from that file by the
 * issuer's other device, as the app resumes a fan-out after a crash.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestHomeserver } from '../../homeserver/testing';
import { FanOutRunner } from '../../renderer/src/circulars/fan-out-runner';
import { prepareCircular, saveFanOut } from '../../renderer/src/circulars/issue';
import type { FileFanOutStore } from './file-fan-out-store';
import { checkCopies, type Tally } from './soak-checks';
import { ISSUER, PASSWORD, soakDraft, type SoakOrg } from './soak-org';

const CHILD = fileURLToPath(new URL('./fan-out-child.ts', import.meta.url));
const REPO = path.resolve(path.dirname(CHILD), '../..');

/** What {@link runClientKill} needs. */
export interface ClientKillParams {
  hs: TestHomeserver;
  org: SoakOrg;
  rand: (lo: number, hi: number) => number;
  log: (line: string) => void;
  tally: Tally;
  round: number;
  store: FileFanOutStore;
}

/** Runs the step; resolves to whether the process was killed before it finished. */
export async function runClientKill(p: ClientKillParams): Promise<boolean> {
  const { hs, org, round, log } = p;
  const issuer = org.issuer.client;
  const prepared = await prepareCircular({
    client: issuer,
    org: org.org,
    draft: soakDraft(`第 ${round} 轮（客户端中断）续发测试通知`),
  });
  const id = prepared.circular.id;
  await saveFanOut({ store: p.store, prepared, senderId: issuer.getSafeUserId() });
  const rooms = prepared.plan.entries.length;
  const killAfter = p.rand(1, rooms - 1);
  const extraDelay = p.rand(0, 300);

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, hs.baseUrl, ISSUER, p.store.file, id],
    {
      cwd: REPO,
      env: { ...process.env, HONGYAN_SOAK_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  let deviceId: string | undefined;
  let killed = false;
  let sentAtKill = 0;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, arg] = line.split(' ');
    if (word === 'device') deviceId = arg;
    if (word === 'sent' && Number(arg) >= killAfter && !killed) {
      killed = true;
      sentAtKill = Number(arg);
      setTimeout(() => child.kill('SIGKILL'), extraDelay);
    }
  }
  const code = await exited;
  if (!killed) {
    log(`round ${round}: the client process ended (exit ${code}) before the kill point: ${stderr}`);
  } else {
    const record = await p.store.get(id);
    const recorded = record?.plan.entries.filter((e) => e.state.kind === 'sent').length ?? 0;
    log(
      `round ${round}: client process SIGKILLed after ${sentAtKill}/${rooms} copies (+${extraDelay} ms); its file records ${recorded}; resuming`,
    );
  }
  const progress = await new FanOutRunner({ client: issuer, store: p.store, circularId: id }).run();
  if (!progress.done || progress.failed > 0)
    log(`round ${round}: the resumed fan-out ended unfinished: ${JSON.stringify(progress)}`);
  await checkCopies(p, prepared, p.store, `round ${round} (client kill)`);
  // The killed device is gone for good: remove it, so later rounds do not share keys with it.
  if (deviceId)
    await fetch(
      `${hs.baseUrl}/_synapse/admin/v2/users/${encodeURIComponent(issuer.getSafeUserId())}/devices/${encodeURIComponent(deviceId)}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${hs.admin.accessToken}` } },
    );
  return killed;
}
