import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instancePaths } from './paths';
import type { InstancePaths } from './paths';
import { ensureSecrets, generateSigningKey } from './secrets';

let dir: string;
let paths: InstancePaths;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-secrets-'));
  paths = instancePaths(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mode = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

describe('ensureSecrets', () => {
  it('creates each secret once, owner-only, and keeps it on later calls', async () => {
    await ensureSecrets(paths);
    const files = [
      paths.signingKey,
      paths.registrationSharedSecret,
      paths.macaroonSecret,
      paths.formSecret,
    ];
    const first = await Promise.all(files.map((f) => readFile(f, 'utf8')));
    for (const f of files) expect(await mode(f), f).toBe(0o600);
    expect(await mode(paths.secretsDir)).toBe(0o700);
    expect(new Set(first.slice(1)).size).toBe(3);
    await ensureSecrets(paths);
    expect(await Promise.all(files.map((f) => readFile(f, 'utf8')))).toEqual(first);
  });

  it('writes a libpq passfile, escaping separators, only when a password is given', async () => {
    expect((await ensureSecrets(paths)).hasPgpass).toBe(false);
    const result = await ensureSecrets(paths, {
      postgres: { host: 'db', port: 5432, user: 'syn', password: 'a:b\\c', database: 'hs' },
    });
    expect(result.hasPgpass).toBe(true);
    expect(await readFile(paths.pgpass, 'utf8')).toBe('db:5432:hs:syn:a\\:b\\\\c\n');
    expect(await mode(paths.pgpass)).toBe(0o600);
  });
});

describe('generateSigningKey', () => {
  it("uses Synapse's key-file format with a 32-byte seed", () => {
    const key = generateSigningKey();
    const m = /^ed25519 (a_[A-Za-z0-9]{4}) ([A-Za-z0-9+/]+)\n$/.exec(key);
    expect(m).not.toBeNull();
    expect(Buffer.from(m?.[2] ?? '', 'base64')).toHaveLength(32);
  });
});
