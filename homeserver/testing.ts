/**
 * Test harness: a real Synapse on a free loopback port with a fresh data directory, for the
 * project's integration tests and benchmarks. It uses the same config builder and lifecycle code
 * as the CLI, so tests run against exactly what the kit ships.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureAdmin, registerUser } from './admin-api';
import { KitError } from './errors';
import type { MatrixUser } from './admin-api';
import type { HomeserverInstance } from './instance';
import { prepareInstance } from './instance';
import type { Topology } from './kit-config';
import { formatPostgresUrl, parsePostgresUrl } from './kit-config';
import type { InstancePaths } from './paths';
import { topologyPaths } from './topology/layout';
import { replicationBarrier } from './topology/replication-barrier';
import type { ProcessStatus } from './topology/workers-lifecycle';
import { killTopologyNow, topologyStatus } from './topology/workers-lifecycle';
import { startSynapse, stopSynapse } from './lifecycle';
import { dropPostgresDatabase } from './postgres';
import { findFreePort, isProcessAlive, waitForExit, waitForPortFree } from './process-utils';
import { ensureVenv } from './venv';
import type { IdentitySettings, LdapSettings, OidcSettings } from './identity/synapse-identity';
import { writeOwnerOnly } from './secrets';

/** A registered user with a logged-in device. */
export interface TestUser {
  userId: string;
  accessToken: string;
  deviceId: string;
  password: string;
}

/** A running throwaway homeserver. */
export interface TestHomeserver {
  /** `http://127.0.0.1:<free port>`. */
  baseUrl: string;
  serverName: string;
  /** A fresh temp dir. */
  dataDir: string;
  /** A server admin, created at start. */
  admin: TestUser;
  /** Registers a user via the shared-secret API (idempotent error if exists). */
  registerUser(opts: {
    username: string;
    password?: string;
    admin?: boolean;
    displayName?: string;
  }): Promise<TestUser>;
  /** Stops Synapse (process gone, port free). Keeps data. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /**
   * SIGKILLs Synapse, as a crash or a power cut would (no shutdown, nothing flushed); keeps the
   * data for {@link TestHomeserver.start}. Single process only.
   */
  kill(): Promise<void>;
  /** Stops and deletes the data dir. */
  dispose(): Promise<void>;
  /** Path of the SQLite database file (undefined on PostgreSQL) and of the media store, for plaintext-leak checks. */
  databasePath?: string;
  /** The kit's own PostgreSQL cluster directory (worker topology), for the same checks. */
  databaseDir?: string;
  mediaStorePath: string;
  /** How this homeserver runs. */
  topology: Topology;
  /**
   * Waits until every Synapse process reads every write made so far. Processes of the worker
   * topology catch up with each other a moment after a write returns; a test that reads back on
   * another process what it just wrote (a re-apply planning from fresh reads) settles first. A
   * no-op on the single process.
   */
  settle(): Promise<void>;
  /** Every process of the worker topology with its pid and restarts (empty for the single process). */
  processes(): ProcessStatus[];
}

let defaultTopology: Topology = 'single';

/**
 * Makes later {@link startTestHomeserver} calls in this test file start the given topology unless
 * they ask for one. A test file sets it, then imports another test file, to run that file's tests
 * unchanged against the worker topology.
 */
export function setDefaultTestTopology(topology: Topology): void {
  defaultTopology = topology;
}

/** Options of {@link startTestHomeserver}. */
export interface StartTestHomeserverOptions {
  /**
   * A PostgreSQL server to use instead of SQLite, e.g. `postgres://postgres@127.0.0.1:5432/postgres`.
   * The harness creates a fresh database on it (the URL's database name is only used to connect)
   * and drops it on `dispose`.
   */
  databaseUrl?: string;
  /** Raise every rate limit (default true: tests and benchmarks measure the server, not its throttling). */
  relaxedRateLimits?: boolean;
  /** bcrypt cost of password hashes; {@link TEST_BCRYPT_ROUNDS} when absent (Synapse's own default is 12). */
  bcryptRounds?: number;
  /**
   * Lifetime of access tokens issued with a refresh token (Synapse duration, e.g. `5s`), to see the
   * app refresh them; the production hour when absent.
   */
  accessTokenLifetime?: string;
  /** Server name (default `hongyan.test`). */
  serverName?: string;
  /** Single sign-on against an identity provider; the secret is written to an owner-only file. */
  oidc?: Omit<OidcSettings, 'clientSecretPath'> & { clientSecret: string };
  /** LDAP password sign-in. */
  ldap?: LdapSettings;
  /** `workers`: the worker topology with its own PostgreSQL, Redis and nginx (default `single`). */
  topology?: Topology;
  /** Generic workers in the worker topology (default 1). */
  genericWorkers?: number;
}

/** bcrypt cost used by test homeservers unless a test asks for another. */
export const TEST_BCRYPT_ROUNDS = 4;

/** Pids of the Synapses this process started and has not stopped yet. */
const livePids = new Set<number>();
/** Worker topologies this process started and has not stopped yet. */
const liveTopologies = new Set<InstancePaths>();

// Last-resort cleanup if a test run ends without dispose(): no Synapse may outlive its test
// process. An exit handler can only act synchronously, hence the bare SIGKILL.
process.once('exit', () => {
  for (const pid of livePids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const paths of liveTopologies) killTopologyNow(paths);
});

/** Starts a fresh Synapse for a test and returns its handle; call `dispose()` when done. */
export async function startTestHomeserver(
  opts: StartTestHomeserverOptions = {},
): Promise<TestHomeserver> {
  const venv = await ensureVenv();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-hs-'));
  let databaseUrl: string | undefined;
  if (opts.databaseUrl) {
    const server = parsePostgresUrl(opts.databaseUrl, 'databaseUrl');
    databaseUrl = formatPostgresUrl(
      { ...server, database: `hongyan_test_${randomBytes(6).toString('hex')}` },
      { withPassword: true },
    );
  }
  const identity: IdentitySettings = {};
  if (opts.oidc) {
    const { clientSecret, ...oidc } = opts.oidc;
    const clientSecretPath = path.join(dataDir, 'oidc_client_secret');
    await writeOwnerOnly(clientSecretPath, clientSecret);
    identity.oidc = { ...oidc, clientSecretPath };
  }
  if (opts.ldap) identity.ldap = opts.ldap;
  let instance: HomeserverInstance | undefined;
  let pid: number | undefined;
  const start = async (): Promise<void> => {
    if (!instance) throw new Error('the test homeserver was not prepared');
    // Not detached: Synapse stays in the test's process group and dies with it on Ctrl-C.
    const workers = instance.config.topology === 'workers';
    if (workers) liveTopologies.add(instance.paths);
    // A restart after kill() reuses the port: wait until the kernel and any passing outgoing
    // connection have let go of it, so the kit's taken-port check does not fail the restart.
    if (pid !== undefined) {
      const { bind, port } = instance.config;
      await waitForPortFree(bind, port, 20_000);
    }
    const started = await startSynapse(instance, { python: venv.python, detached: false });
    if (!workers) livePids.add(started.pid);
    pid = started.pid;
  };
  const stop = async (): Promise<void> => {
    if (instance) await stopSynapse(instance);
    if (pid !== undefined) livePids.delete(pid);
    if (instance) liveTopologies.delete(instance.paths);
  };

  const kill = async (): Promise<void> => {
    if (instance?.config.topology === 'workers')
      throw new Error('kill() is for the single-process homeserver');
    if (pid !== undefined && isProcessAlive(pid)) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 10_000);
    }
    await stop();
  };

  let admin: MatrixUser;
  try {
    // A free port can be taken by another process before Synapse binds it: pick another and retry.
    for (let attempt = 1; ; attempt++) {
      instance = await prepareInstance({
        dataDir,
        settings: {
          serverName: opts.serverName ?? 'hongyan.test',
          port: await findFreePort('127.0.0.1'),
          bind: '127.0.0.1',
          relaxedRateLimits: opts.relaxedRateLimits ?? true,
          topology: opts.topology ?? defaultTopology,
          genericWorkers: opts.genericWorkers ?? 1,
          ...(databaseUrl ? { databaseUrl } : {}),
        },
        // Throwaway test accounts need no brute-force resistance; cost 12 would make every login and
        // registration in the suite take a quarter of a second of a shared CPU.
        bcryptRounds: opts.bcryptRounds ?? TEST_BCRYPT_ROUNDS,
        ...(opts.accessTokenLifetime ? { accessTokenLifetime: opts.accessTokenLifetime } : {}),
        identity,
        // Tests ask for relaxed limits on purpose; the CLI's warning would only be noise here.
        warn: () => undefined,
      });
      try {
        await start();
        break;
      } catch (err) {
        if (!(err instanceof KitError && err.code === 'port-in-use') || attempt >= 3) throw err;
      }
    }
    admin = await ensureAdmin(instance);
  } catch (err) {
    await stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    if (instance?.postgres) {
      await dropPostgresDatabase(venv.python, instance.postgres).catch(() => undefined);
    }
    throw err;
  }
  const ready = instance;
  const workers = ready.config.topology === 'workers';

  let disposed = false;
  return {
    baseUrl: ready.baseUrl,
    serverName: ready.serverName,
    dataDir,
    admin,
    registerUser: (userOpts) => registerUser(ready, userOpts),
    stop,
    start,
    kill,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await stop();
      if (ready.postgres) await dropPostgresDatabase(venv.python, ready.postgres);
      await rm(dataDir, { recursive: true, force: true });
    },
    ...(ready.postgres || workers ? {} : { databasePath: ready.paths.sqliteDatabase }),
    ...(workers && !ready.postgres ? { databaseDir: topologyPaths(ready.paths).pgData } : {}),
    mediaStorePath: ready.paths.mediaStore,
    topology: ready.config.topology,
    processes: () => (workers ? topologyStatus(ready) : []),
    settle: workers
      ? replicationBarrier(ready.baseUrl, admin.accessToken, () => topologyStatus(ready))
      : () => Promise.resolve(),
  };
}
