/**
 * The processes of the worker topology, their files inside the instance's data directory and the
 * ports they listen on. Pure: the start code picks the ports, everything else derives from them.
 */
import path from 'node:path';
import type { InstancePaths } from '../paths';

/** The kind of one process, which decides how it is started, probed and stopped. */
export type ProcessKind = 'postgres' | 'redis' | 'main' | 'worker' | 'nginx';

/** One process of the topology. */
export interface TopologyProcess {
  /** Unique name: also the Synapse `worker_name` of a worker, and the name `status` shows. */
  name: string;
  kind: ProcessKind;
  /** Its HTTP port on loopback, probed with `GET /health` (Synapse) or the versions endpoint (nginx). */
  port?: number;
  /** Signal the keeper sends to stop it gracefully. */
  stopSignal: 'TERM' | 'INT' | 'QUIT';
}

/** Files of the worker topology, all inside the instance's data directory. */
export interface TopologyPaths {
  /** Pid and state files, sockets, nginx temp files; recreated on every start. */
  runDir: string;
  /** One log per process (`<name>.log`); the main process keeps `homeserver.log`. */
  logDir: string;
  /** Worker configs (`<name>.yaml`), generated on every start. */
  workersDir: string;
  nginxConf: string;
  redisConf: string;
  redisSocket: string;
  /** The kit's own PostgreSQL cluster; its socket lives in it too. */
  pgData: string;
  replicationSecret: string;
  /** The ports and processes of the running topology, written at start, read by stop and status. */
  manifest: string;
}

/** Resolves the topology's files for an instance. */
export function topologyPaths(paths: InstancePaths): TopologyPaths {
  const run = path.join(paths.dataDir, 'run');
  return {
    runDir: run,
    logDir: path.join(paths.dataDir, 'logs'),
    workersDir: path.join(paths.dataDir, 'workers'),
    nginxConf: path.join(run, 'nginx.conf'),
    redisConf: path.join(run, 'redis.conf'),
    redisSocket: path.join(run, 'redis.sock'),
    pgData: path.join(paths.dataDir, 'postgres'),
    replicationSecret: path.join(paths.secretsDir, 'worker_replication_secret'),
    manifest: path.join(run, 'topology.json'),
  };
}

/** The state file a process's keeper writes. */
export function stateFile(tp: TopologyPaths, name: string): string {
  return path.join(tp.runDir, `${name}.state.json`);
}

/** The log file of a process (the main process's is the instance's `homeserver.log`). */
export function logFile(paths: InstancePaths, tp: TopologyPaths, name: string): string {
  return name === 'main' ? paths.logFile : path.join(tp.logDir, `${name}.log`);
}

/** Internal ports, picked free at start. */
export interface InternalPorts {
  mainClient: number;
  mainReplication: number;
  persister: number;
  federationSender: number;
  generic: number[];
}

export const EVENT_PERSISTER = 'event_persister1';
export const FEDERATION_SENDER = 'federation_sender1';

/** The generic workers' names. */
export function genericWorkerNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `generic_worker${i + 1}`);
}

/** The processes in start order (stop goes in reverse). */
export function topologyProcesses(ports: InternalPorts, publicPort: number): TopologyProcess[] {
  return [
    // Fast shutdown: SIGTERM would wait for every client session to end.
    { name: 'postgres', kind: 'postgres', stopSignal: 'INT' },
    { name: 'redis', kind: 'redis', stopSignal: 'TERM' },
    { name: 'main', kind: 'main', port: ports.mainClient, stopSignal: 'TERM' },
    { name: EVENT_PERSISTER, kind: 'worker', port: ports.persister, stopSignal: 'TERM' },
    {
      name: FEDERATION_SENDER,
      kind: 'worker',
      port: ports.federationSender,
      stopSignal: 'TERM',
    },
    ...genericWorkerNames(ports.generic.length).map((name, i): TopologyProcess => ({
      name,
      kind: 'worker',
      port: ports.generic[i] ?? 0,
      stopSignal: 'TERM',
    })),
    // TERM, not QUIT: a graceful nginx would wait for every /sync long-poll in flight.
    { name: 'nginx', kind: 'nginx', port: publicPort, stopSignal: 'TERM' },
  ];
}
