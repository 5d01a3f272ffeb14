import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { KitError } from './errors';
import type { HomeserverInstance } from './instance';
import { readConfOverrides } from './instance';
import { dropPostgresDatabase, ensurePostgresDatabase } from './postgres';
import { isPortFree, isProcessAlive, processCommandLine, waitForExit } from './process-utils';
import { extractSynapseError } from './synapse-errors';
import { topologyPaths } from './topology/layout';
import type { ProcessStatus } from './topology/workers-lifecycle';
import {
  startTopology,
  stopTopology,
  topologyMainPid,
  topologyStatus,
} from './topology/workers-lifecycle';

/** Default bound on waiting for Synapse to answer after spawning it (a slow 2-core machine, a fresh database). */
export const DEFAULT_START_TIMEOUT_MS = 180_000;
/** Default wait after SIGTERM before SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** Options of {@link startSynapse}. */
export interface StartSynapseOptions {
  /** The venv's Python (from `ensureVenv`). */
  python: string;
  /**
   * Whether Synapse outlives this process (the CLI) or stays in its process group so it dies with
   * it on Ctrl-C (the test harness). Default true.
   */
  detached?: boolean;
  /** Bound on waiting for `/_matrix/client/versions`. */
  timeoutMs?: number;
}

/** A started Synapse. */
export interface StartedSynapse {
  pid: number;
  /** False when it was already running and left alone. */
  started: boolean;
  /** The child handle when this process spawned it (undefined when already running). */
  child?: ChildProcess;
}

async function readPid(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  const pid = Number(text?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * The pid of this instance's running Synapse, or undefined. The process must be alive and be a
 * Synapse started with this instance's config, so a recycled pid is never mistaken for it.
 */
export async function runningPid(instance: HomeserverInstance): Promise<number | undefined> {
  if (instance.config.topology === 'workers') return topologyMainPid(instance);
  const pid = await readPid(instance.paths.pidFile);
  if (pid === undefined || !isProcessAlive(pid)) return undefined;
  const cmd = processCommandLine(pid);
  if (
    cmd !== undefined &&
    !(cmd.includes('synapse.app.homeserver') && cmd.includes(instance.paths.homeserverYaml))
  )
    return undefined;
  return pid;
}

/** Whether the client API answers `GET /_matrix/client/versions`. */
export async function isAnswering(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/_matrix/client/versions`, {
      signal: AbortSignal.timeout(2000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** The ports the instance's Synapse listens on, with the option that sets each. */
function listenerPorts(instance: HomeserverInstance): number[] {
  const { port, federationAllow, federationPort } = instance.config;
  return federationAllow.length > 0 ? [port, federationPort] : [port];
}

async function ensurePortsFree(instance: HomeserverInstance): Promise<void> {
  const { bind, port } = instance.config;
  for (const p of listenerPorts(instance)) {
    if (!(await isPortFree(bind, p))) {
      const option = p === port ? '--port' : '--federation-port';
      throw new KitError(
        `Port ${p} on ${bind} is already in use by another program; choose a free one with ${option}.`,
        { code: 'port-in-use' },
      );
    }
  }
}

async function readLogTail(logFile: string, maxBytes = 256 * 1024): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.length > maxBytes ? text.slice(-maxBytes) : text;
}

/** Resolves when Synapse answers, rejects when it exits first or the time is up. */
async function waitUntilReady(
  instance: HomeserverInstance,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      exit = { code: child.exitCode, signal: child.signalCode };
      resolve();
    }
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
  });
  const deadline = Date.now() + timeoutMs;
  while (exit === undefined) {
    if (await isAnswering(instance.baseUrl)) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new KitError(
        `Synapse did not answer at ${instance.baseUrl} within ${Math.round(timeoutMs / 1000)} s; last lines of ${instance.paths.logFile}:`,
        {
          code: 'start-timeout',
          details: (await readLogTail(instance.paths.logFile)).trimEnd().split('\n').slice(-10),
        },
      );
    }
    // Poll, but wake at once if the process dies.
    await Promise.race([delay(250), exited]);
  }
  const log = await readLogTail(instance.paths.logFile);
  // Another program can take the port between our check and Synapse's bind (a small window).
  const bindFailure = /Couldn't listen on ([^\s:]+|\[[^\]]+\]):(\d+)/.exec(log);
  if (bindFailure) {
    throw new KitError(
      `Port ${bindFailure[2]} on ${bindFailure[1]} was taken by another program while Synapse started; choose a free one.`,
      { code: 'port-in-use' },
    );
  }
  const configProblem =
    /Error in configuration|ConfigError|yaml\.|Bad byte size|IncorrectDatabaseSetup/.test(log);
  throw new KitError(
    `Synapse exited during start-up (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`})` +
      `${configProblem ? ', refusing its configuration (homeserver.yaml and conf.d/*.yaml)' : ''}; from ${instance.paths.logFile}:`,
    {
      code: configProblem ? 'synapse-config' : 'synapse-exited',
      details: extractSynapseError(log),
    },
  );
}

/**
 * Starts the instance's Synapse in the background and waits until its client API answers.
 * Checks the ports first, prepares the PostgreSQL database when one is configured, and on failure
 * reports the relevant lines of Synapse's own error.
 */
export async function startSynapse(
  instance: HomeserverInstance,
  opts: StartSynapseOptions,
): Promise<StartedSynapse> {
  if (instance.config.topology === 'workers') {
    return startTopology(instance, {
      python: opts.python,
      detached: opts.detached ?? true,
      timeoutMs: opts.timeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    });
  }
  const existing = await runningPid(instance);
  if (existing !== undefined) return { pid: existing, started: false };
  if (!instance.config.databaseUrl && existsSync(topologyPaths(instance.paths).pgData))
    throw new KitError(
      `${instance.paths.dataDir} holds a workers-topology instance on its own PostgreSQL; start it with --topology workers, ` +
        'or `reset` it first.',
    );

  await ensurePortsFree(instance);
  if (instance.postgres) await ensurePostgresDatabase(opts.python, instance.postgres);

  const { paths } = instance;
  if (existsSync(paths.logFile)) await rename(paths.logFile, `${paths.logFile}.1`);
  const configArgs = ['--config-path', paths.homeserverYaml];
  if ((await readConfOverrides(paths)).files.length > 0)
    configArgs.push('--config-path', paths.confDir);

  const logFd = openSync(paths.logFile, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(
      opts.python,
      ['-m', 'synapse.app.homeserver', ...configArgs, '--no-secrets-in-config'],
      {
        cwd: paths.dataDir,
        detached: opts.detached ?? true,
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      },
    );
  } finally {
    closeSync(logFd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    const reason = await new Promise<string>((resolve) =>
      child.once('error', (e) => resolve(e.message)),
    );
    throw new KitError(`Could not run ${opts.python}: ${reason}`, { code: 'synapse-exited' });
  }
  await writeFile(paths.pidFile, `${pid}\n`);
  try {
    await waitUntilReady(instance, child, opts.timeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  } catch (err) {
    await rm(paths.pidFile, { force: true });
    throw err;
  }
  if (opts.detached ?? true) child.unref();
  return { pid, started: true, child };
}

/** Options of {@link stopSynapse}. */
export interface StopSynapseOptions {
  /** Wait after SIGTERM before SIGKILL. */
  timeoutMs?: number;
}

/**
 * Stops the instance's Synapse: SIGTERM, then SIGKILL after the timeout. Returns once the process
 * is gone and its ports can be bound again; fails if either does not happen.
 */
export async function stopSynapse(
  instance: HomeserverInstance,
  opts: StopSynapseOptions = {},
): Promise<{ wasRunning: boolean }> {
  if (instance.config.topology === 'workers') return stopTopology(instance, opts);
  const pid = await runningPid(instance);
  if (pid === undefined) {
    await rm(instance.paths.pidFile, { force: true });
    return { wasRunning: false };
  }
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, opts.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS))) {
    process.kill(pid, 'SIGKILL');
    if (!(await waitForExit(pid, 10_000))) {
      throw new KitError(`Synapse (pid ${pid}) is still running after SIGKILL`, {
        code: 'stop-failed',
      });
    }
  }
  await rm(instance.paths.pidFile, { force: true });
  // The listening sockets close with the process; allow the kernel a moment to release them.
  const deadline = Date.now() + 5000;
  for (const port of listenerPorts(instance)) {
    while (!(await isPortFree(instance.config.bind, port))) {
      if (Date.now() > deadline)
        throw new KitError(
          `Synapse stopped but port ${port} on ${instance.config.bind} is still in use`,
          { code: 'stop-failed' },
        );
      await delay(100);
    }
  }
  return { wasRunning: true };
}

/** What `status` reports. */
export interface SynapseStatus {
  running: boolean;
  pid?: number;
  /** Whether the client API answers (only meaningful while running). */
  answering: boolean;
  baseUrl: string;
  serverName: string;
  dataDir: string;
  /** `sqlite` or the PostgreSQL URL without password. */
  database: string;
  federationAllow: string[];
  /** Every process of the workers topology (empty for the single process). */
  processes: ProcessStatus[];
}

/** Reports whether the instance runs and answers. */
export async function synapseStatus(instance: HomeserverInstance): Promise<SynapseStatus> {
  const pid = await runningPid(instance);
  return {
    running: pid !== undefined,
    ...(pid === undefined ? {} : { pid }),
    answering: pid !== undefined && (await isAnswering(instance.baseUrl)),
    baseUrl: instance.baseUrl,
    serverName: instance.serverName,
    dataDir: instance.paths.dataDir,
    database:
      instance.config.databaseUrl ??
      (instance.config.topology === 'workers'
        ? `PostgreSQL, the kit's own cluster in ${topologyPaths(instance.paths).pgData}`
        : 'sqlite'),
    federationAllow: instance.config.federationAllow,
    processes: instance.config.topology === 'workers' ? topologyStatus(instance) : [],
  };
}

/**
 * Deletes all data of an instance (stopping it first), including its PostgreSQL database. Refuses
 * a directory that does not look like a kit instance, so a mistyped `--data-dir` deletes nothing.
 */
export async function resetInstance(
  instance: HomeserverInstance,
  python: string | undefined,
): Promise<void> {
  const { paths } = instance;
  const entries = await readdir(paths.dataDir).catch(() => [] as string[]);
  if (entries.length > 0 && !entries.includes('kit.yaml')) {
    throw new KitError(
      `${paths.dataDir} does not look like a homeserver kit data directory (no kit.yaml); nothing deleted`,
    );
  }
  await stopSynapse(instance);
  if (instance.postgres) {
    if (!python)
      throw new KitError('Cannot drop the PostgreSQL database without the kit venv', {
        code: 'database',
      });
    await dropPostgresDatabase(python, instance.postgres);
  }
  await rm(paths.dataDir, { recursive: true, force: true });
}
