import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSynapseConfig, clientBaseUrl, renderHomeserverYaml } from './config-builder';
import { DEFAULT_RATE_LIMITS, HARDENED_SETTINGS, RELAXED_RATE_LIMITS } from './synapse-policy';
import { KIT_DEFAULTS } from './kit-config';
import type { KitConfig } from './kit-config';
import { instancePaths } from './paths';

const paths = instancePaths('/srv/hongyan/data');
const kit = (over: Partial<KitConfig> = {}): KitConfig => ({
  ...KIT_DEFAULTS,
  federationAllow: [],
  ...over,
});

describe('buildSynapseConfig', () => {
  it('reserves the #hy.* aliases to the kit admin and names it in the client well-known', () => {
    const config = buildSynapseConfig({ kit: kit({ serverName: 'gov.example' }), paths });
    const admin = '@hongyan-admin:gov.example';
    expect(config.alias_creation_rules).toEqual([
      { user_id: admin, alias: '*', room_id: '*', action: 'allow' },
      { user_id: '*', alias: '#hy.*', room_id: '*', action: 'deny' },
      { user_id: '*', alias: '*', room_id: '*', action: 'allow' },
    ]);
    expect(config.room_list_publication_rules.at(-1)).toEqual({
      user_id: '*',
      alias: '*',
      room_id: '*',
      action: 'deny',
    });
    expect(config.extra_well_known_client_content).toEqual({
      'cn.hongyan.org': { provisioning_accounts: [admin] },
    });
  });

  it('keeps every hardened setting at its hardened value', () => {
    const config = buildSynapseConfig({ kit: kit(), paths }) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(HARDENED_SETTINGS)) {
      expect(config[key], key).toEqual(value);
    }
  });

  it('turns registration off, encrypts every room and creates room version 11', () => {
    const config = buildSynapseConfig({ kit: kit(), paths });
    // Self-registration only with a registration token (residents' invitations).
    expect(config.enable_registration).toBe(true);
    expect(config.registration_requires_token).toBe(true);
    expect(config.encryption_enabled_by_default_for_room_type).toBe('all');
    expect(Number(config.default_room_version)).toBeGreaterThanOrEqual(10);
    expect(config.presence).toEqual({ enabled: false });
    expect(config.url_preview_enabled).toBe(false);
    expect(config.user_directory.search_all_users).toBe(false);
    expect(config.limit_profile_requests_to_users_who_share_rooms).toBe(true);
    expect(config.require_auth_for_profile_requests).toBe(true);
  });

  it('binds only a client listener to loopback and blocks federation by default', () => {
    const config = buildSynapseConfig({ kit: kit(), paths });
    expect(config.listeners).toHaveLength(1);
    expect(config.listeners[0]?.bind_addresses).toEqual(['127.0.0.1']);
    expect(config.listeners[0]?.resources).toEqual([{ names: ['client'], compress: false }]);
    expect(config.federation_domain_whitelist).toEqual([]);
    expect(config.trusted_key_servers).toEqual([]);
    // Nothing to send to, so no process computes destinations for each new event.
    expect(config.federation_sender_instances).toEqual([]);
  });

  it('opens a federation listener restricted to the allow-list when one is given', () => {
    const config = buildSynapseConfig({
      kit: kit({ federationAllow: ['gd.gov.example', 'hn.gov.example'], federationPort: 8448 }),
      paths,
    });
    expect(config.federation_domain_whitelist).toEqual(['gd.gov.example', 'hn.gov.example']);
    expect(config.federation_sender_instances).toBeUndefined();
    const federation = config.listeners.find((l) =>
      l.resources.some((r) => r.names.includes('federation')),
    );
    expect(federation?.port).toBe(8448);
    expect(config.listeners.find((l) => l.port === KIT_DEFAULTS.port)?.resources[0]?.names).toEqual(
      ['client'],
    );
  });

  it('points at secret files instead of carrying secrets inline', () => {
    const config = buildSynapseConfig({ kit: kit(), paths }) as unknown as Record<string, unknown>;
    for (const key of ['registration_shared_secret', 'macaroon_secret_key', 'form_secret']) {
      expect(config[key], key).toBeUndefined();
      expect(String(config[`${key}_path`])).toContain('/srv/hongyan/data/secrets/');
    }
    expect(config.signing_key_path).toBe('/srv/hongyan/data/secrets/signing.key');
  });

  it('uses SQLite in the data dir by default and psycopg2 with a passfile for PostgreSQL', () => {
    expect(buildSynapseConfig({ kit: kit(), paths }).database).toEqual({
      name: 'sqlite3',
      args: { database: '/srv/hongyan/data/homeserver.db' },
    });
    const pg = buildSynapseConfig({
      kit: kit({ databaseUrl: 'postgres://synapse@db.internal:5433/hongyan' }),
      paths,
      hasPgpass: true,
    }).database;
    expect(pg.name).toBe('psycopg2');
    expect(pg.args).toMatchObject({
      user: 'synapse',
      host: 'db.internal',
      port: 5433,
      database: 'hongyan',
      passfile: paths.pgpass,
      options: '-c jit=off -c random_page_cost=1.1',
    });
    expect(pg.args).not.toHaveProperty('password');
  });

  it('lets refreshable access tokens expire after an hour, or sooner when a test asks', () => {
    const config = buildSynapseConfig({ kit: kit(), paths }) as unknown as Record<string, unknown>;
    expect(config['refreshable_access_token_lifetime']).toBe('1h');
    expect(config['refresh_token_lifetime']).toBe('30d');
    // Tokens issued without a refresh token (admin CLI, org agent) keep working.
    expect(config).not.toHaveProperty('nonrefreshable_access_token_lifetime');
    const short = buildSynapseConfig({ kit: kit(), paths, accessTokenLifetime: '5s' });
    expect(short.refreshable_access_token_lifetime).toBe('5s');
  });

  it('applies sane rate limits, and raises them all only when asked', () => {
    const normal = buildSynapseConfig({ kit: kit(), paths });
    expect(normal.rc_message).toEqual(DEFAULT_RATE_LIMITS.rc_message);
    expect(normal.rc_login).toEqual(DEFAULT_RATE_LIMITS.rc_login);
    expect(normal.max_upload_size).toBe('100M');
    const relaxed = buildSynapseConfig({ kit: kit({ relaxedRateLimits: true }), paths });
    expect(relaxed.rc_message).toEqual(RELAXED_RATE_LIMITS.rc_message);
    expect((relaxed.rc_message as { per_second: number }).per_second).toBeGreaterThan(1000);
  });

  it('renders YAML that reads back to the same settings', () => {
    const config = buildSynapseConfig({ kit: kit(), paths });
    const text = renderHomeserverYaml(config);
    expect(text.startsWith('# Generated by the Hongyan homeserver kit')).toBe(true);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(config)));
    // Synapse reads the room version as a string; an unquoted 11 would be an int.
    expect(text).toContain('default_room_version: "11"');
  });
});

describe('clientBaseUrl', () => {
  it('reaches a wildcard bind through loopback and brackets IPv6', () => {
    expect(clientBaseUrl({ bind: '127.0.0.1', port: 8008 })).toBe('http://127.0.0.1:8008');
    expect(clientBaseUrl({ bind: '0.0.0.0', port: 8008 })).toBe('http://127.0.0.1:8008');
    expect(clientBaseUrl({ bind: '::1', port: 9000 })).toBe('http://[::1]:9000');
  });
});
