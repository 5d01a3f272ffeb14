import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_RATE_LIMITS, HARDENED_SETTINGS, orgTrustSettings } from './config-builder';
import { KIT_DIR } from './paths';

const config = parse(
  await readFile(path.join(KIT_DIR, 'production', 'homeserver.yaml'), 'utf8'),
) as Record<string, unknown>;

describe('production/homeserver.yaml', () => {
  it('keeps every hardened setting of the kit', () => {
    for (const [key, value] of Object.entries(HARDENED_SETTINGS))
      expect(config[key], key).toEqual(value);
  });

  it('uses the kit rate limits', () => {
    for (const [key, value] of Object.entries(DEFAULT_RATE_LIMITS))
      expect(config[key], key).toEqual(value);
  });

  it('binds every listener to loopback and keeps secrets out of the file', () => {
    const listeners = config.listeners as Array<{ bind_addresses: string[] }>;
    for (const l of listeners) expect(l.bind_addresses).toEqual(['127.0.0.1']);
    for (const key of [
      'registration_shared_secret',
      'macaroon_secret_key',
      'form_secret',
      'worker_replication_secret',
    ]) {
      expect(config[key], key).toBeUndefined();
      expect(typeof config[`${key}_path`], `${key}_path`).toBe('string');
    }
    expect((config.database as { args: Record<string, unknown> }).args.password).toBeUndefined();
    expect((config.redis as Record<string, unknown>).password).toBeUndefined();
  });

  it('federates only with an explicit allow-list', () => {
    expect(Array.isArray(config.federation_domain_whitelist)).toBe(true);
    expect((config.federation_domain_whitelist as string[]).length).toBeGreaterThan(0);
  });

  it('reserves the org aliases and names the provisioning account as the kit does', () => {
    const expected = orgTrustSettings('@hongyan-admin:gd.gov.example');
    for (const [key, value] of Object.entries(expected)) expect(config[key], key).toEqual(value);
  });
});
