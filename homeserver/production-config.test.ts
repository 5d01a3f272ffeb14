import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { orgTrustSettings } from './config-builder';
import { DEFAULT_RATE_LIMITS, HARDENED_SETTINGS } from './synapse-policy';
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

  it('lets Synapse reach single peer addresses only, never a private network', () => {
    const ranges = config.ip_range_whitelist as string[];
    expect(ranges.length).toBeGreaterThan(0);
    for (const r of ranges) expect(r, r).toMatch(/^(\d+\.\d+\.\d+\.\d+\/32|[0-9a-f:]+\/128)$/);
  });

  it('sends HSTS on the client server of the nginx reference', async () => {
    const nginx = await readFile(
      path.join(KIT_DIR, 'production', 'nginx', 'hongyan-matrix.conf'),
      'utf8',
    );
    const client = nginx.slice(nginx.indexOf('listen 443'), nginx.indexOf('listen 8448'));
    expect(client).toMatch(
      /add_header Strict-Transport-Security "max-age=(\d+); includeSubDomains" always;/,
    );
    const maxAge = Number(/max-age=(\d+)/.exec(client)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
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
