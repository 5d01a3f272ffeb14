import { describe, expect, it } from 'vitest';
import { KitError } from './errors';
import {
  KIT_DEFAULTS,
  changedSettings,
  formatPostgresUrl,
  mergeKitConfig,
  parseFederationAllow,
  parseKitConfig,
  parsePostgresUrl,
  renderKitConfig,
} from './kit-config';

const FILE = '/data/kit.yaml';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KitError);
    return (err as Error).message;
  }
  throw new Error('expected a KitError');
}

describe('parseKitConfig', () => {
  it('round-trips what renderKitConfig writes', () => {
    const config = {
      ...KIT_DEFAULTS,
      federationAllow: ['a.example'],
      port: 9008,
      databaseUrl: 'postgres://synapse@127.0.0.1:5432/hs',
    };
    expect(parseKitConfig(renderKitConfig(config), FILE)).toEqual(config);
  });

  it('names the file and line of invalid YAML', () => {
    expect(errorOf(() => parseKitConfig('port: 8008\nbind: [\n', FILE))).toMatch(
      /^\/data\/kit\.yaml:3:1: not valid YAML/,
    );
  });

  it('names the line and key of a wrong value or an unknown key', () => {
    expect(errorOf(() => parseKitConfig('serverName: a.example\nport: eighty\n', FILE))).toBe(
      '/data/kit.yaml:2: port: "eighty" is not a port number (1-65535)',
    );
    expect(errorOf(() => parseKitConfig('colour: red\n', FILE))).toMatch(
      /^\/data\/kit\.yaml:1: colour: unknown setting/,
    );
    expect(errorOf(() => parseKitConfig('serverName: Not_Valid\n', FILE))).toMatch(
      /serverName: "Not_Valid" is not a valid server name/,
    );
    expect(errorOf(() => parseKitConfig('relaxedRateLimits: "yes"\n', FILE))).toMatch(
      /relaxedRateLimits: expected true or false/,
    );
  });

  it('refuses a database password in kit.yaml', () => {
    expect(errorOf(() => parseKitConfig('databaseUrl: postgres://u:secret@h/db\n', FILE))).toMatch(
      /must not carry a password/,
    );
  });

  it('accepts an empty file', () => {
    expect(parseKitConfig('', FILE)).toEqual({});
  });
});

describe('mergeKitConfig', () => {
  it('lets command-line options override stored settings', () => {
    expect(mergeKitConfig({ port: 9000, bind: '127.0.0.1' }, { port: 9001 })).toMatchObject({
      port: 9001,
      bind: '127.0.0.1',
      serverName: 'hongyan.local',
    });
  });

  it('refuses to change the server name of an existing instance', () => {
    expect(
      errorOf(() => mergeKitConfig({ serverName: 'a.example' }, { serverName: 'b.example' })),
    ).toMatch(/cannot change/);
  });

  it('refuses a federation port equal to the client port', () => {
    expect(
      errorOf(() =>
        mergeKitConfig(undefined, {
          port: 8448,
          federationAllow: ['a.example'],
          federationPort: 8448,
        }),
      ),
    ).toMatch(/must differ/);
  });
});

describe('PostgreSQL URLs', () => {
  it('parses user, password, host, port and database', () => {
    expect(
      parsePostgresUrl('postgres://syn%40x:p%3Aw@db.internal:5433/hongyan', '--database-url'),
    ).toEqual({
      user: 'syn@x',
      password: 'p:w',
      host: 'db.internal',
      port: 5433,
      database: 'hongyan',
    });
    expect(parsePostgresUrl('postgresql://127.0.0.1/hs', 'x')).toEqual({
      user: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      database: 'hs',
    });
  });

  it('leaves the password out unless asked', () => {
    const pg = parsePostgresUrl('postgres://u:secret@h:5432/db', 'x');
    expect(formatPostgresUrl(pg)).toBe('postgres://u@h:5432/db');
    expect(formatPostgresUrl(pg, { withPassword: true })).toBe('postgres://u:secret@h:5432/db');
  });

  it('names the option when the URL is unusable', () => {
    expect(errorOf(() => parsePostgresUrl('mysql://h/db', '--database-url'))).toMatch(
      /^--database-url: unsupported scheme/,
    );
    expect(errorOf(() => parsePostgresUrl('postgres://h', '--database-url'))).toMatch(
      /needs a host and a database/,
    );
    expect(errorOf(() => parsePostgresUrl('not a url', '--database-url'))).toMatch(/not a URL/);
  });
});

describe('parseFederationAllow', () => {
  it('splits, trims and deduplicates, and rejects bad names', () => {
    expect(
      parseFederationAllow(' a.example, b.example:8448 ,a.example,', '--federation-allow'),
    ).toEqual(['a.example', 'b.example:8448']);
    expect(parseFederationAllow('', '--federation-allow')).toEqual([]);
    expect(errorOf(() => parseFederationAllow('a.example,bad name', '--federation-allow'))).toMatch(
      /"bad name" is not a valid server name/,
    );
  });
});

describe('changedSettings', () => {
  it('lists only settings that really differ', () => {
    const current = {
      ...KIT_DEFAULTS,
      federationAllow: ['a.example'],
      databaseUrl: 'postgres://u@h:5432/db',
    };
    expect(
      changedSettings(current, {
        port: 8008,
        federationAllow: ['a.example'],
        databaseUrl: 'postgres://u:pw@h/db',
      }),
    ).toEqual([]);
    expect(
      changedSettings(current, { port: 9000, bind: '127.0.0.1', federationAllow: [] }),
    ).toEqual(['port', 'federationAllow']);
  });
});
