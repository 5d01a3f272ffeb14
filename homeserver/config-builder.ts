import { stringify } from 'yaml';
import type { KitConfig } from './kit-config';
import { parsePostgresUrl } from './kit-config';
import type { InstancePaths } from './paths';
import type { IdentitySettings, IdentitySynapseConfig } from './identity/synapse-identity';
import { buildIdentityConfig } from './identity/synapse-identity';
import { KIT_ADMIN_USERNAME } from './admin-api';
import {
  DEFAULT_RATE_LIMITS,
  HARDENED_SYNAPSE_SETTINGS,
  MAX_UPLOAD_SIZE,
  PASSWORD_POLICY,
  REFRESHABLE_ACCESS_TOKEN_LIFETIME,
  RELAXED_RATE_LIMITS,
  type HardenedSettings,
  type RateLimit,
} from './synapse-policy';
import {
  ORG_ALIAS_GLOB,
  ORG_WELL_KNOWN_KEY,
  orgWellKnownContent,
  type OrgWellKnownContent,
} from '../shared/org/managed-rooms';

/** One HTTP listener of Synapse (`listeners` in homeserver.yaml). */
export interface SynapseListener {
  port: number;
  bind_addresses: string[];
  type: 'http';
  tls: false;
  x_forwarded: boolean;
  resources: { names: Array<'client' | 'federation'>; compress: boolean }[];
}

/** One rule of Synapse's `alias_creation_rules` or `room_list_publication_rules` (first match wins). */
export interface DirectoryRule {
  user_id: string;
  alias: string;
  room_id: string;
  action: 'allow' | 'deny';
}

/**
 * The subset of Synapse's configuration the kit writes. Key names follow Synapse's configuration
 * manual (docs/usage/configuration/config_documentation.md, Synapse 1.163).
 */
export interface SynapseConfig
  extends Omit<IdentitySynapseConfig, 'password_config'>, HardenedSettings {
  server_name: string;
  public_baseurl: string;
  listeners: SynapseListener[];
  database:
    | { name: 'sqlite3'; args: { database: string } }
    | { name: 'psycopg2'; args: Record<string, string | number> };
  media_store_path: string;
  signing_key_path: string;
  registration_shared_secret_path: string;
  macaroon_secret_key_path: string;
  form_secret_path: string;
  federation_domain_whitelist: string[];
  max_upload_size: string;
  password_config: NonNullable<IdentitySynapseConfig['password_config']> & { policy: object };
  serve_server_wellknown: false;
  alias_creation_rules: DirectoryRule[];
  room_list_publication_rules: DirectoryRule[];
  extra_well_known_client_content: Record<typeof ORG_WELL_KNOWN_KEY, OrgWellKnownContent>;
  /** `[]` when federation is off: no process sends federation traffic (see `buildSynapseConfig`). */
  federation_sender_instances?: [];
  bcrypt_rounds?: number;
  [rateLimitKey: `rc_${string}`]: RateLimit | Record<string, RateLimit | number>;
}

/** Inputs of {@link buildSynapseConfig}. */
export interface BuildSynapseConfigInput {
  /** The instance's kit settings. */
  kit: KitConfig;
  /** Where the instance's files live. */
  paths: InstancePaths;
  /** True when `secrets/pgpass` holds the database password (the URL had one). */
  hasPgpass?: boolean;
  /** bcrypt cost for password hashes; Synapse's default (12) when absent. Lower only for throwaway test data. */
  bcryptRounds?: number;
  /**
   * Lifetime of the access tokens clients get when they ask for a refresh token (Synapse duration,
   * e.g. `10s`); {@link REFRESHABLE_ACCESS_TOKEN_LIFETIME} when absent. Tests shorten it to see expiry.
   */
  accessTokenLifetime?: string;
  /** Single sign-on and LDAP sign-in (identity/synapse-identity.ts); off when absent. */
  identity?: IdentitySettings;
}

/** The kit's provisioning account: the admin account `ensureAdmin` registers. */
export function kitProvisioningAccount(serverName: string): string {
  return `@${KIT_ADMIN_USERNAME}:${serverName}`;
}

/**
 * The org's trust settings for one provisioning account (see docs/trust.md): only it may create the
 * org's `#hy.*` aliases (others keep the aliases Synapse allows them) or publish rooms in the room
 * directory, and `/.well-known/matrix/client` names it, so that clients believe only rooms it created.
 */
export function orgTrustSettings(
  provisioningAccount: string,
): Pick<
  SynapseConfig,
  'alias_creation_rules' | 'room_list_publication_rules' | 'extra_well_known_client_content'
> {
  const rule = (user_id: string, alias: string, action: DirectoryRule['action']) => ({
    user_id,
    alias,
    room_id: '*',
    action,
  });
  return {
    alias_creation_rules: [
      rule(provisioningAccount, '*', 'allow'),
      rule('*', ORG_ALIAS_GLOB, 'deny'),
      rule('*', '*', 'allow'),
    ],
    room_list_publication_rules: [rule(provisioningAccount, '*', 'allow'), rule('*', '*', 'deny')],
    extra_well_known_client_content: {
      [ORG_WELL_KNOWN_KEY]: orgWellKnownContent([provisioningAccount]),
    },
  };
}

function hostForUrl(bind: string): string {
  // An unspecified bind address listens everywhere; loopback is where this machine reaches it.
  if (bind === '0.0.0.0') return '127.0.0.1';
  if (bind === '::') return '[::1]';
  return bind.includes(':') ? `[${bind}]` : bind;
}

/** The base URL clients on this machine use to reach the instance's client listener. */
export function clientBaseUrl(kit: Pick<KitConfig, 'bind' | 'port'>): string {
  return `http://${hostForUrl(kit.bind)}:${kit.port}`;
}

function buildDatabase(input: BuildSynapseConfigInput): SynapseConfig['database'] {
  const { kit, paths } = input;
  if (!kit.databaseUrl) return { name: 'sqlite3', args: { database: paths.sqliteDatabase } };
  const pg = parsePostgresUrl(kit.databaseUrl, 'databaseUrl');
  return {
    name: 'psycopg2',
    args: {
      user: pg.user,
      host: pg.host,
      port: pg.port,
      database: pg.database,
      // The password stays in an owner-only libpq passfile, so homeserver.yaml holds no secret.
      ...(input.hasPgpass ? { passfile: paths.pgpass } : {}),
      cp_min: 5,
      cp_max: 10,
      keepalives_idle: 10,
      keepalives_interval: 10,
      keepalives_count: 3,
      // Two planner settings for Synapse's sessions, both for its recursive auth-chain query, which
      // runs for every new event. No JIT: once a server holds a few tens of thousands of events the
      // query's estimated cost passes the JIT threshold, and compiling it took 0.6 s for a query that
      // then ran in 0.3 s; Synapse's short lookups never gain from JIT. Random page cost 1.1, the
      // usual value for SSDs instead of the spinning-disk default 4: with 4 the planner scans and
      // hashes the whole links table for each event (335 ms at 72,000 rows), with 1.1 it follows the
      // index (1.7 ms).
      options: '-c jit=off -c random_page_cost=1.1',
    },
  };
}

/**
 * Builds the Synapse configuration of an instance with the project's hardened defaults. Pure: the
 * CLI and the test harness both call it, and the unit tests check its output.
 */
export function buildSynapseConfig(input: BuildSynapseConfigInput): SynapseConfig {
  const { kit, paths } = input;
  const federationOn = kit.federationAllow.length > 0;
  const identity = buildIdentityConfig(input.identity);
  const listener = (port: number, resource: 'client' | 'federation'): SynapseListener => ({
    port,
    bind_addresses: [kit.bind],
    type: 'http',
    tls: false,
    x_forwarded: false,
    resources: [{ names: [resource], compress: false }],
  });
  // The client resource also serves /_synapse/admin; Synapse cannot split them, so the listener
  // itself stays on loopback unless the operator binds it elsewhere on purpose.
  const listeners = [listener(kit.port, 'client')];
  if (federationOn) listeners.push(listener(kit.federationPort, 'federation'));
  return {
    server_name: kit.serverName,
    public_baseurl: `${clientBaseUrl(kit)}/`,
    listeners,
    database: buildDatabase(input),
    media_store_path: paths.mediaStore,
    signing_key_path: paths.signingKey,
    registration_shared_secret_path: paths.registrationSharedSecret,
    macaroon_secret_key_path: paths.macaroonSecret,
    form_secret_path: paths.formSecret,
    ...HARDENED_SYNAPSE_SETTINGS,
    // An empty list blocks federation with every server; a non-empty one allows exactly those.
    federation_domain_whitelist: [...kit.federationAllow],
    max_upload_size: MAX_UPLOAD_SIZE,
    serve_server_wellknown: false,
    ...orgTrustSettings(kitProvisioningAccount(kit.serverName)),
    // With federation off, Synapse's federation sender still works out, for every new event, which
    // servers are in the room (a state lookup per event) only to find none. Handing the duty to a
    // worker that does not exist skips that (5–13 % of the server's CPU in provisioning phases).
    ...(federationOn ? {} : { federation_sender_instances: [] as [] }),
    ...(input.bcryptRounds === undefined ? {} : { bcrypt_rounds: input.bcryptRounds }),
    refreshable_access_token_lifetime:
      input.accessTokenLifetime ?? REFRESHABLE_ACCESS_TOKEN_LIFETIME,
    ...(kit.relaxedRateLimits ? RELAXED_RATE_LIMITS : DEFAULT_RATE_LIMITS),
    ...identity,
    password_config: { ...identity.password_config, policy: PASSWORD_POLICY },
  };
}

/** Renders a configuration file the kit generates, under comment lines saying so. */
export function renderGeneratedYaml(header: readonly string[], config: object): string {
  return [...header.map((line) => `# ${line}`), stringify(config, { lineWidth: 0 })].join('\n');
}

/** Renders the configuration as homeserver.yaml, with a header saying it is generated. */
export function renderHomeserverYaml(config: SynapseConfig): string {
  return renderGeneratedYaml(
    [
      'Generated by the Hongyan homeserver kit from kit.yaml on every start: do not edit.',
      'Put Synapse overrides in conf.d/*.yaml next to this file. Secrets live in secrets/.',
    ],
    config,
  );
}
