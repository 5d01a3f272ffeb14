import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, parseCli } from './cli-args';
import { DEFAULT_DATA_DIR } from './paths';

function usageError(argv: string[]): string {
  try {
    parseCli(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCli', () => {
  it('parses start with its options', () => {
    const inv = parseCli([
      'start',
      '--port',
      '9008',
      '--bind',
      '::1',
      '--server-name',
      'gd.example',
      '--federation-allow',
      'a.example,b.example',
      '--no-seed',
    ]);
    expect(inv.command).toBe('start');
    expect(inv.dataDir).toBe(DEFAULT_DATA_DIR);
    expect(inv.noSeed).toBe(true);
    expect(inv.settings).toEqual({
      port: 9008,
      bind: '::1',
      serverName: 'gd.example',
      federationAllow: ['a.example', 'b.example'],
    });
  });

  it('takes --data-dir, --relaxed-rate-limits and its negation', () => {
    expect(parseCli(['status', '--data-dir', 'x']).dataDir).toBe('x');
    expect(parseCli(['start', '--relaxed-rate-limits']).settings.relaxedRateLimits).toBe(true);
    expect(parseCli(['start', '--no-relaxed-rate-limits']).settings.relaxedRateLimits).toBe(false);
    expect(path.isAbsolute(parseCli(['stop']).dataDir)).toBe(true);
  });

  it('parses logs and reset flags', () => {
    expect(parseCli(['logs', '-f', '-n', '20'])).toMatchObject({ follow: true, lines: 20 });
    expect(parseCli(['reset', '--yes']).yes).toBe(true);
  });

  it('parses accounts with a data dir, and refuses start options on it', () => {
    expect(parseCli(['accounts', '--data-dir', '/tmp/x'])).toMatchObject({
      command: 'accounts',
      dataDir: '/tmp/x',
    });
    expect(usageError(['accounts', '--port', '9000'])).toBe(
      'Option --port does not apply to "accounts".',
    );
  });

  it('rejects unknown commands, unknown options and misplaced options', () => {
    expect(usageError([])).toMatch(/No command/);
    expect(usageError(['launch'])).toBe('Unknown command "launch".');
    expect(usageError(['start', '--colour'])).toMatch(/Unknown option '--colour'/);
    expect(usageError(['stop', '--port', '9000'])).toBe('Option --port does not apply to "stop".');
    expect(usageError(['start', 'extra'])).toMatch(/Unexpected argument "extra"/);
  });

  it('rejects bad values naming the option', () => {
    expect(usageError(['start', '--port', '70000'])).toMatch(
      /^--port: "70000" is not a port number/,
    );
    expect(usageError(['start', '--bind', 'localhost'])).toMatch(
      /^--bind: "localhost" is not an IP address/,
    );
    expect(usageError(['logs', '-n', 'many'])).toMatch(/^--lines/);
  });

  it('answers --help without a command', () => {
    expect(parseCli(['--help']).command).toBe('help');
  });

  it('parses backup and restore, and names what each needs', () => {
    expect(parseCli(['backup', '--to', 'bk'])).toMatchObject({
      command: 'backup',
      backupDir: path.resolve('bk'),
    });
    expect(parseCli(['restore', '--from', 'bk', '--data-dir', 'fresh'])).toMatchObject({
      command: 'restore',
      backupDir: path.resolve('bk'),
      dataDir: 'fresh',
    });
    expect(usageError(['backup'])).toBe('"backup" needs --to <dir>.');
    expect(usageError(['restore', '--from', 'bk'])).toBe(
      '"restore" needs --data-dir <dir>: a fresh directory to restore into.',
    );
    expect(usageError(['start', '--to', 'x'])).toBe('Option --to does not apply to "start".');
  });
});
