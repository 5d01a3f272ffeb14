/**
 * Synapse configuration of the worker topology: the shared `homeserver.yaml` (the kit's hardened
 * single-process config with listeners, database, Redis and worker duties changed) and one small
 * file per worker. Pure, so the unit tests check it; the key names follow Synapse 1.163's
 * configuration manual and docs/workers.md.
 */
import { renderGeneratedYaml, type SynapseConfig } from '../config-builder';
import type { KitConfig } from '../kit-config';
import type { InternalPorts, TopologyPaths } from './layout';
import { EVENT_PERSISTER, FEDERATION_SENDER, genericWorkerNames } from './layout';

/** Database name of the kit's private PostgreSQL cluster. */
export const PRIVATE_DATABASE = 'synapse';
/** Superuser of the private cluster (authenticated by the socket directory's permissions). */
export const PRIVATE_DATABASE_USER = 'postgres';
/** The private cluster listens on a Unix socket only; the port number just names the socket file. */
export const PRIVATE_SOCKET_PORT = 5432;

const LOOPBACK = '127.0.0.1';

/** The shared config for every process of the topology. */
export type SharedWorkerConfig = Omit<
  SynapseConfig,
  'listeners' | 'federation_sender_instances'
> & {
  listeners: Array<Record<string, unknown>>;
  redis: { enabled: true; path: string };
  worker_replication_secret_path: string;
  instance_map: Record<string, { host: string; port: number }>;
  stream_writers: { events: string };
  federation_sender_instances: string[];
};

/** The private cluster as Synapse's `database` section. */
export function privateDatabase(tp: TopologyPaths): SynapseConfig['database'] {
  return {
    name: 'psycopg2',
    args: {
      user: PRIVATE_DATABASE_USER,
      // A directory as host: libpq connects to the Unix socket in it; nothing listens on TCP.
      host: tp.pgData,
      port: PRIVATE_SOCKET_PORT,
      database: PRIVATE_DATABASE,
      cp_min: 2,
      cp_max: 10,
      // As for the single process on PostgreSQL (config-builder.ts): planner settings for the
      // per-event auth-chain query.
      options: '-c jit=off -c random_page_cost=1.1',
    },
  };
}

/**
 * Turns the single-process config into the shared config of the topology. The main process keeps
 * an internal client listener (nginx sends it what no worker serves) and gains a replication
 * listener; event persistence moves to the event persister, outbound federation to the federation
 * sender, and the processes talk over Redis (a Unix socket in the 0700 data dir, so no password).
 */
export function buildSharedWorkerConfig(input: {
  base: SynapseConfig;
  kit: KitConfig;
  tp: TopologyPaths;
  ports: InternalPorts;
}): SharedWorkerConfig {
  const { base, kit, tp, ports } = input;
  const federationOn = kit.federationAllow.length > 0;
  // The external database when the kit was given one, otherwise the kit's own cluster.
  const database = kit.databaseUrl ? base.database : privateDatabase(tp);
  const { listeners: _single, federation_sender_instances: _none, ...rest } = base;
  return {
    ...rest,
    database,
    listeners: [
      {
        port: ports.mainClient,
        bind_addresses: [LOOPBACK],
        type: 'http',
        tls: false,
        // Behind nginx: take the client's address from X-Forwarded-For (per-address rate limits).
        x_forwarded: true,
        resources: [
          { names: federationOn ? ['client', 'federation'] : ['client'], compress: false },
        ],
      },
      {
        port: ports.mainReplication,
        bind_addresses: [LOOPBACK],
        type: 'http',
        tls: false,
        resources: [{ names: ['replication'], compress: false }],
      },
    ],
    redis: { enabled: true, path: tp.redisSocket },
    worker_replication_secret_path: tp.replicationSecret,
    instance_map: {
      main: { host: LOOPBACK, port: ports.mainReplication },
      [EVENT_PERSISTER]: { host: LOOPBACK, port: ports.persister },
    },
    stream_writers: { events: EVENT_PERSISTER },
    federation_sender_instances: [FEDERATION_SENDER],
  };
}

/** The config file of one worker (`workers/<name>.yaml`), added after the shared config. */
export function buildWorkerFile(
  name: string,
  kit: KitConfig,
  ports: InternalPorts,
): Record<string, unknown> {
  const generic = genericWorkerNames(ports.generic.length);
  let listener: Record<string, unknown>;
  if (name === EVENT_PERSISTER) {
    listener = { port: ports.persister, resources: [{ names: ['replication'] }] };
  } else if (name === FEDERATION_SENDER) {
    // Serves no requests; the listener only answers /health, so the kit can tell it is up.
    listener = { port: ports.federationSender, resources: [] };
  } else {
    const i = generic.indexOf(name);
    if (i < 0) throw new Error(`unknown worker ${name}`);
    listener = {
      port: ports.generic[i],
      x_forwarded: true,
      resources: [
        {
          names: kit.federationAllow.length > 0 ? ['client', 'federation'] : ['client'],
          compress: false,
        },
      ],
    };
  }
  return {
    worker_app: 'synapse.app.generic_worker',
    worker_name: name,
    worker_listeners: [{ type: 'http', bind_addresses: [LOOPBACK], tls: false, ...listener }],
  };
}

/** Renders a generated YAML file with a header saying so. */
export function renderWorkersYaml(config: object): string {
  return renderGeneratedYaml(
    [
      'Generated by the Hongyan homeserver kit (workers topology) on every start: do not edit.',
      'Put Synapse overrides in conf.d/*.yaml; they apply to every process.',
    ],
    config,
  );
}
