import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KitError } from '../errors';
import { prepareInstance } from '../instance';
import { startSynapse } from '../lifecycle';
import { isPortFree, isProcessAlive } from '../process-utils';
import { ensureVenv } from '../venv';
import { FanOutEvent, FanOutRunner } from '../../renderer/src/circulars/fan-out-runner';
import { MemoryFanOutStore } from '../../renderer/src/circulars/fan-out-store';
import { prepareCircular, saveFanOut } from '../../renderer/src/circulars/issue';
import { circularCopies, USERS, waitForCopy } from '../../testing/org-fixture';
import { mkdtemp, rm } from 'node:fs/promises';
import { circularOrgForFile } from '../../testing/circular-org-for-file';
import { draftToCities } from '../../testing/circular-drafts';
import os from 'node:os';

// The worker topology itself: its processes, its routing, a crash of the event persister during a
// circular fan-out, and a stop that leaves nothing behind. The app's own tests run on it too
// (*.workers.integration.test.ts next to this file).
const circ = circularOrgForFile({
  homeserver: { topology: 'workers' },
  people: [USERS.c1a, USERS.c2a, USERS.c3a],
});

const pidOf = (name: string): number => {
  const pid = circ.hs.processes().find((p) => p.name === name)?.pid;
  if (pid === undefined) throw new Error(`${name} is not running`);
  return pid;
};

const workerLog = (): Promise<string> =>
  readFile(path.join(circ.hs.dataDir, 'logs', 'generic_worker1.log'), 'utf8');

describe('the worker topology (Synapse workers, Redis, PostgreSQL, nginx)', () => {
  it('runs every process on loopback and routes logins and /sync to the generic worker', async () => {
    const processes = circ.hs.processes();
    expect(processes.map((p) => p.name)).toEqual([
      'postgres',
      'redis',
      'main',
      'event_persister1',
      'federation_sender1',
      'generic_worker1',
      'nginx',
    ]);
    expect(processes.every((p) => p.state === 'running' && p.restarts === 0)).toBe(true);
    for (const p of processes.filter((x) => x.port !== undefined && x.name !== 'nginx')) {
      const res = await fetch(`http://127.0.0.1:${p.port}/health`);
      expect(res.status, `${p.name} /health`).toBe(200);
    }
    // The clients signed in and have been long-polling /sync through nginx since beforeAll.
    const worker = await workerLog();
    expect(worker).toMatch(/"POST \/_matrix\/client\/v3\/login HTTP/);
    expect(worker).toMatch(/"GET \/_matrix\/client\/v3\/sync\?/);
    const main = await readFile(path.join(circ.hs.dataDir, 'homeserver.log'), 'utf8');
    expect(main).not.toMatch(/"GET \/_matrix\/client\/v3\/sync/);
  });

  it('loses no event of a circular fan-out when the event persister is killed during it', async () => {
    const { issuer } = circ;
    const recipients = [USERS.c1a, USERS.c2a, USERS.c3a].map((u) => circ.people[u]!);
    const store = new MemoryFanOutStore();
    const prepared = await prepareCircular({
      client: issuer.client,
      org: circ.org,
      draft: draftToCities('关于做好寒潮防范工作的通知', {
        docNumber: '示府办〔2026〕9号',
        body: '各市人民政府：请做好寒潮防范工作。',
      }),
    });
    const id = prepared.circular.id;
    await saveFanOut({ store, prepared, senderId: issuer.client.getSafeUserId() });
    const persister = pidOf('event_persister1');
    const runner = new FanOutRunner({
      client: issuer.client,
      store,
      circularId: id,
      concurrency: 1,
      initialDelayMs: 200,
      maxDelayMs: 2000,
    });
    runner.on(FanOutEvent.Progress, (p) => {
      if (p.sent === 1 && isProcessAlive(persister)) process.kill(persister, 'SIGKILL');
    });
    expect(await runner.run()).toMatchObject({ total: 3, sent: 3, failed: 0, done: true });
    expect(await workerLog()).toMatch(/"PUT \/_matrix\/client\/v3\/rooms\/[^ ]+\/send\//);

    const restarted = circ.hs.processes().find((p) => p.name === 'event_persister1');
    expect(restarted).toMatchObject({ state: 'running', restarts: 1, lastExit: 'signal SIGKILL' });
    expect(restarted?.pid).not.toBe(persister);
    // Exactly one copy in every room, and every recipient's sync delivers and decrypts it.
    for (const entry of prepared.plan.entries) {
      const copies = await circularCopies(issuer.client, entry.roomId, id);
      expect(copies, `copies in ${entry.unitCode}`).toHaveLength(1);
    }
    for (const r of recipients) {
      const { reading } = await waitForCopy(r.client, id);
      expect(reading.kind).toBe('circular');
    }
  });

  it('refuses to start on a port that is taken, naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-taken-'));
    try {
      const taken = Number(new URL(circ.hs.baseUrl).port);
      const instance = await prepareInstance({
        dataDir: dir,
        settings: { port: taken, topology: 'workers' },
        warn: () => undefined,
      });
      const attempt = startSynapse(instance, { python: (await ensureVenv()).python });
      await expect(attempt).rejects.toThrow(KitError);
      await expect(attempt).rejects.toThrow(`Port ${taken} on 127.0.0.1 is already in use`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops without leaving a process or a bound port behind', async () => {
    const before = circ.hs.processes();
    const ports = before.flatMap((p) => (p.port === undefined ? [] : [p.port]));
    const pids = before.flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
    expect(pids.length).toBe(7);
    await circ.hs.stop();
    expect(pids.filter(isProcessAlive)).toEqual([]);
    for (const port of ports)
      expect(await isPortFree('127.0.0.1', port), `port ${port}`).toBe(true);
    expect(circ.hs.processes()).toEqual([]);
  });
});
