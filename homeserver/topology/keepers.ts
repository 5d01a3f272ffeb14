/**
 * Starting, watching and stopping the topology's processes. Each runs under its own keeper
 * (keeper.py), which restarts it when it crashes and writes a small state file that `status`
 * reads. Stopping a keeper stops its process; killing a keeper kills its process too.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import net from 'node:net';
import { KitError } from '../errors';
import { isProcessAlive, waitForExit } from '../process-utils';
import type { RunAs } from './system-packages';

const KEEPER = path.join(path.dirname(new URL(import.meta.url).pathname), 'keeper.py');

/** What a keeper reports in its state file. */
export interface KeeperState {
  keeper: number;
  /** The kept process, while it runs. */
  pid: number | null;
  restarts: number;
  state: 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';
  last_exit: string | null;
}

/** How to run one process under a keeper. */
export interface KeeperSpec {
  python: string;
  command: string[];
  stateFile: string;
  logFile: string;
  stopSignal: 'TERM' | 'INT' | 'QUIT';
  cwd: string;
  /** Outlive the calling process (the CLI) or stay in its process group (the test harness). */
  detached: boolean;
  /** Run the command as this account (PostgreSQL when the kit runs as root). */
  runAs?: RunAs;
}

/** Starts a keeper and returns its pid. */
export function startKeeper(spec: KeeperSpec): number {
  const child = spawn(
    spec.python,
    [KEEPER, spec.stateFile, spec.logFile, spec.stopSignal, '--', ...spec.command],
    {
      cwd: spec.cwd,
      detached: spec.detached,
      stdio: 'ignore',
      env: {
        ...process.env,
        PYTHONUNBUFFERED: '1',
        ...(spec.runAs ? { KEEPER_RUN_AS: `${spec.runAs.uid}:${spec.runAs.gid}` } : {}),
      },
    },
  );
  if (child.pid === undefined) throw new KitError(`Could not run ${spec.python}`);
  if (spec.detached) child.unref();
  return child.pid;
}

/** The keeper's last state, or undefined before it wrote one. */
export function readKeeperState(stateFile: string): KeeperState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as KeeperState;
  } catch {
    return undefined;
  }
}

/** Whether `GET url` answers 200 within two seconds. */
export async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Whether a Unix socket accepts connections. */
export function socketAccepts(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits until `ready()` holds. Fails at once, naming the process, when its keeper reports that it
 * exited (a process that crashes during start-up is a configuration or environment problem, not
 * something to retry), or when the time is up.
 */
export async function waitReady(
  name: string,
  keeperPid: number,
  stateFile: string,
  ready: () => Promise<boolean>,
  deadline: number,
  onFailure: () => Promise<KitError>,
): Promise<void> {
  for (;;) {
    if (await ready()) return;
    const state = readKeeperState(stateFile);
    if (!isProcessAlive(keeperPid) || (state && state.restarts > 0)) throw await onFailure();
    if (Date.now() > deadline)
      throw new KitError(`${name} did not become ready in time`, {
        code: 'start-timeout',
        details: (await onFailure()).details,
      });
    await delay(250);
  }
}

/** Stops a keeper (and its process): the keeper's stop signal, then SIGKILL after the timeout. */
export async function stopKeeper(
  keeperPid: number,
  stateFile: string,
  timeoutMs: number,
): Promise<void> {
  if (!isProcessAlive(keeperPid)) return;
  process.kill(keeperPid, 'SIGTERM');
  if (await waitForExit(keeperPid, timeoutMs)) return;
  const pid = readKeeperState(stateFile)?.pid;
  for (const p of [keeperPid, pid]) {
    if (p && isProcessAlive(p)) process.kill(p, 'SIGKILL');
  }
  if (!(await waitForExit(keeperPid, 10_000)) || (pid && !(await waitForExit(pid, 10_000))))
    throw new KitError(`pid ${keeperPid} is still running after SIGKILL`, { code: 'stop-failed' });
}

/** Kills a keeper and its process at once, synchronously (a test run's exit handler). */
export function killKeeperNow(keeperPid: number, stateFile: string): void {
  const pid = readKeeperState(stateFile)?.pid;
  for (const p of [keeperPid, pid]) {
    try {
      if (p) process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
