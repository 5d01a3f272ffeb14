/**
 * Start, stop and status of the worker topology: PostgreSQL, Redis, Synapse main, the event
 * persister, the federation sender, the generic workers and nginx, each under a keeper, in that
 * order. The kit's public port is nginx's; every other port is internal, picked free on loopback
 * at each start and recorded in run/topology.json for stop and status.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { KitError } from '../errors';
import type { HomeserverInstance } from '../instance';
import { readConfOverrides } from '../instance';
import type { InstancePaths } from '../paths';
import { ensurePostgresDatabase } from '../postgres';
import { isPortFree, isProcessAlive } from '../process-utils';
import { extractSynapseError } from '../synapse-errors';
import type { KeeperState } from './keepers';
import {
  answers,
  killKeeperNow,
  readKeeperState,
  socketAccepts,
  startKeeper,
  stopKeeper,
  waitReady,
} from './keepers';
import type { InternalPorts, TopologyPaths, TopologyProcess } from './layout';
import { logFile, stateFile, topologyPaths, topologyProcesses } from './layout';
import { ensureCluster, postgresCommand, postgresSocket } from './private-postgres';
import type { RunAs, SystemPrograms } from './system-packages';
import { findSystemPrograms, postgresAccount } from './system-packages';
import { configArgs, pickInternalPorts, writeTopologyFiles } from './topology-files';
import { PRIVATE_DATABASE, PRIVATE_DATABASE_USER, PRIVATE_SOCKET_PORT } from './worker-config';

/** What run/topology.json records about a started topology. */
interface Manifest {
  ports: InternalPorts;
  processes: Array<TopologyProcess & { keeper: number }>;
}

/** Options of {@link startTopology}. */
export interface StartTopologyOptions {
  python: string;
  detached: boolean;
  timeoutMs: number;
}

function readManifest(tp: TopologyPaths): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(tp.manifest, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Whether any keeper of the instance's topology is alive. */
export function topologyRunning(instance: HomeserverInstance): boolean {
  const manifest = readManifest(topologyPaths(instance.paths));
  return manifest?.processes.some((p) => isProcessAlive(p.keeper)) ?? false;
}

/** The pid of the running Synapse main process, or undefined. */
export function topologyMainPid(instance: HomeserverInstance): number | undefined {
  const tp = topologyPaths(instance.paths);
  const main = readManifest(tp)?.processes.find((p) => p.name === 'main');
  if (!main || !isProcessAlive(main.keeper)) return undefined;
  return readKeeperState(stateFile(tp, 'main'))?.pid ?? undefined;
}

async function ensurePublicPortsFree(instance: HomeserverInstance): Promise<void> {
  const { bind, port, federationAllow, federationPort } = instance.config;
  const wanted: Array<[number, string]> = [[port, '--port']];
  if (federationAllow.length > 0) wanted.push([federationPort, '--federation-port']);
  for (const [p, option] of wanted) {
    if (!(await isPortFree(bind, p)))
      throw new KitError(
        `Port ${p} on ${bind} is already in use by another program; choose a free one with ${option}.`,
        { code: 'port-in-use' },
      );
  }
}

function commandOf(
  proc: TopologyProcess,
  instance: HomeserverInstance,
  tp: TopologyPaths,
  programs: SystemPrograms,
  python: string,
  hasOverrides: boolean,
): string[] {
  switch (proc.kind) {
    case 'postgres':
      return postgresCommand(programs.postgresBin, tp.pgData);
    case 'redis':
      return [programs.redisServer, tp.redisConf];
    case 'main':
      return [
        python,
        '-m',
        'synapse.app.homeserver',
        ...configArgs(instance, tp, 'main', hasOverrides),
      ];
    case 'worker':
      return [
        python,
        '-m',
        'synapse.app.generic_worker',
        ...configArgs(instance, tp, proc.name, hasOverrides),
      ];
    case 'nginx':
      return [programs.nginx, '-p', tp.runDir, '-e', 'stderr', '-c', tp.nginxConf];
  }
}

async function failureOf(
  proc: TopologyProcess,
  instance: HomeserverInstance,
  tp: TopologyPaths,
): Promise<KitError> {
  const file = logFile(instance.paths, tp, proc.name);
  const log = await readFile(file, 'utf8').catch(() => '');
  const bind = /Couldn't listen on [^\s]+:(\d+)|bind\(\) to \S+:(\d+) failed/.exec(log);
  if (bind)
    return new KitError(
      `Port ${bind[1] ?? bind[2]} was taken by another program while ${proc.name} started; start again.`,
      { code: 'port-in-use' },
    );
  const isSynapse = proc.kind === 'main' || proc.kind === 'worker';
  return new KitError(`${proc.name} exited during start-up; from ${file}:`, {
    code: 'worker-failed',
    details: isSynapse ? extractSynapseError(log) : log.trimEnd().split('\n').slice(-8),
  });
}

/** How to tell that a process is ready to serve. */
function readiness(
  proc: TopologyProcess,
  instance: HomeserverInstance,
  tp: TopologyPaths,
  python: string,
): () => Promise<boolean> {
  switch (proc.kind) {
    case 'postgres':
      return async () => {
        if (!(await socketAccepts(postgresSocket(tp.pgData)))) return false;
        // Creates the Synapse database on first start (UTF8, C collation) and checks it later.
        try {
          await ensurePostgresDatabase(python, {
            host: tp.pgData,
            port: PRIVATE_SOCKET_PORT,
            user: PRIVATE_DATABASE_USER,
            database: PRIVATE_DATABASE,
          });
          return true;
        } catch (err) {
          // "the database system is starting up": try again.
          if (err instanceof KitError && /starting up/.test(err.details.join(' '))) return false;
          throw err;
        }
      };
    case 'redis':
      return () => socketAccepts(tp.redisSocket);
    case 'nginx':
      return () => answers(`${instance.baseUrl}/_matrix/client/versions`);
    default:
      return () => answers(`http://127.0.0.1:${proc.port ?? 0}/health`);
  }
}

/**
 * Starts every process of the topology and waits until nginx answers on the public port. On any
 * failure it stops what it started and reports the failing process's own error.
 */
export async function startTopology(
  instance: HomeserverInstance,
  opts: StartTopologyOptions,
): Promise<{ pid: number; started: boolean }> {
  const tp = topologyPaths(instance.paths);
  if (topologyRunning(instance)) {
    if (readManifest(tp)?.processes.every((p) => isProcessAlive(p.keeper)))
      return { pid: topologyMainPid(instance) ?? 0, started: false };
    await stopTopology(instance); // a partial topology (a keeper gave up): start afresh
  }
  if (existsSync(instance.paths.sqliteDatabase))
    throw new KitError(
      `${instance.paths.dataDir} holds a single-process instance on SQLite; the workers topology runs on PostgreSQL ` +
        'and would start with none of its users or rooms. Use another --data-dir, or `reset` this one first.',
    );
  const programs = findSystemPrograms();
  const runAs: RunAs | undefined = instance.config.databaseUrl ? undefined : postgresAccount();
  await ensurePublicPortsFree(instance);
  const ports = await pickInternalPorts(instance.config.genericWorkers);
  await writeTopologyFiles(instance, tp, ports, process.getuid?.() === 0);
  if (instance.config.databaseUrl) {
    if (instance.postgres) await ensurePostgresDatabase(opts.python, instance.postgres);
  } else {
    await ensureCluster(programs.postgresBin, tp.pgData, runAs);
  }
  const hasOverrides = (await readConfOverrides(instance.paths)).files.length > 0;
  const all = topologyProcesses(ports, instance.config.port).filter(
    (p) => p.kind !== 'postgres' || !instance.config.databaseUrl,
  );
  const manifest: Manifest = { ports, processes: [] };
  const deadline = Date.now() + opts.timeoutMs;
  const launch = (proc: TopologyProcess): (() => Promise<void>) => {
    const keeper = startKeeper({
      python: opts.python,
      command: commandOf(proc, instance, tp, programs, opts.python, hasOverrides),
      stateFile: stateFile(tp, proc.name),
      logFile: logFile(instance.paths, tp, proc.name),
      stopSignal: proc.stopSignal,
      cwd: instance.paths.dataDir,
      detached: opts.detached,
      ...(proc.kind === 'postgres' && runAs ? { runAs } : {}),
    });
    manifest.processes.push({ ...proc, keeper });
    return () =>
      waitReady(
        proc.name,
        keeper,
        stateFile(tp, proc.name),
        readiness(proc, instance, tp, opts.python),
        deadline,
        () => failureOf(proc, instance, tp),
      );
  };
  try {
    // In order up to main (it prepares the database schema the workers check for); the workers
    // together; nginx last, so the public port answers only when every process behind it does.
    for (const proc of all) {
      if (proc.kind === 'worker') continue;
      if (proc.kind === 'nginx') {
        await Promise.all(
          all
            .filter((p) => p.kind === 'worker')
            .map((p) => launch(p))
            .map((w) => w()),
        );
      }
      const wait = launch(proc);
      await writeFile(tp.manifest, JSON.stringify(manifest));
      await wait();
    }
  } catch (err) {
    await writeFile(tp.manifest, JSON.stringify(manifest));
    await stopTopology(instance).catch(() => undefined);
    throw err;
  }
  await writeFile(tp.manifest, JSON.stringify(manifest));
  return { pid: topologyMainPid(instance) ?? 0, started: true };
}

/**
 * Stops every process, nginx first and PostgreSQL last, and returns once all are gone and the
 * ports they listened on are free.
 */
export async function stopTopology(
  instance: HomeserverInstance,
  opts: { timeoutMs?: number } = {},
): Promise<{ wasRunning: boolean }> {
  const tp = topologyPaths(instance.paths);
  const manifest = readManifest(tp);
  if (!manifest) return { wasRunning: false };
  const wasRunning = manifest.processes.some((p) => isProcessAlive(p.keeper));
  const timeout = opts.timeoutMs ?? 30_000;
  const stop = (p: Manifest['processes'][number]): Promise<void> =>
    stopKeeper(p.keeper, stateFile(tp, p.name), timeout);
  const procs = manifest.processes;
  const byKind = (...kinds: string[]) => procs.filter((p) => kinds.includes(p.kind));
  await Promise.all(byKind('nginx').map(stop));
  await Promise.all(byKind('worker').map(stop));
  await Promise.all(byKind('main').map(stop));
  await Promise.all(byKind('redis', 'postgres').map(stop));
  const ports = procs.flatMap((p) => (p.port === undefined ? [] : [p.port]));
  const deadline = Date.now() + 5000;
  for (const port of ports) {
    while (!(await isPortFree('127.0.0.1', port).catch(() => true))) {
      if (Date.now() > deadline)
        throw new KitError(`The topology stopped but port ${port} is still in use`, {
          code: 'stop-failed',
        });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await rm(tp.manifest, { force: true });
  return { wasRunning };
}

/** One process as `status` shows it. */
export interface ProcessStatus {
  name: string;
  port?: number;
  state: KeeperState['state'] | 'gone';
  pid?: number;
  restarts: number;
  lastExit?: string;
}

/** The state of every process of the topology (empty when it was never started or is stopped). */
export function topologyStatus(instance: HomeserverInstance): ProcessStatus[] {
  const tp = topologyPaths(instance.paths);
  const manifest = readManifest(tp);
  if (!manifest) return [];
  return manifest.processes.map((p) => {
    const s = readKeeperState(stateFile(tp, p.name));
    const alive = isProcessAlive(p.keeper);
    return {
      name: p.name,
      ...(p.port === undefined ? {} : { port: p.port }),
      state: alive ? (s?.state ?? 'starting') : s?.state === 'failed' ? 'failed' : 'gone',
      ...(alive && s?.pid ? { pid: s.pid } : {}),
      restarts: s?.restarts ?? 0,
      ...(s?.last_exit ? { lastExit: s.last_exit } : {}),
    };
  });
}

/** Kills the whole topology at once, synchronously: for a test run's exit handler. */
export function killTopologyNow(paths: InstancePaths): void {
  const tp = topologyPaths(paths);
  if (!existsSync(tp.manifest)) return;
  for (const p of readManifest(tp)?.processes ?? []) killKeeperNow(p.keeper, stateFile(tp, p.name));
}
