import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PostgresUrl } from './kit-config';
import type { InstancePaths } from './paths';

const OWNER_ONLY_FILE = 0o600;
const OWNER_ONLY_DIR = 0o700;

/**
 * Writes a file readable by its owner only. The mode is set at creation and the file is renamed
 * into place, so the content is never visible with looser permissions, not even for a moment.
 */
export async function writeOwnerOnly(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: OWNER_ONLY_DIR });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode: OWNER_ONLY_FILE, flag: 'wx' });
  await chmod(tmp, OWNER_ONLY_FILE); // the umask may have narrowed it further, never widened; be exact
  await rename(tmp, file);
}

function randomSecret(): string {
  return randomBytes(48).toString('base64url');
}

/**
 * A fresh Ed25519 signing key in Synapse's key-file format: `ed25519 <key id> <unpadded base64 seed>`.
 * Any 32 random bytes are a valid Ed25519 seed.
 */
export function generateSigningKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const id = Array.from(randomBytes(4), (b) => alphabet[b % alphabet.length]).join('');
  const seed = randomBytes(32).toString('base64').replace(/=+$/, '');
  return `ed25519 a_${id} ${seed}\n`;
}

function pgpassField(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}

/** Options of {@link ensureSecrets}. */
export interface EnsureSecretsOptions {
  /** The instance's PostgreSQL URL, when it carries a password to store in `secrets/pgpass`. */
  postgres?: PostgresUrl;
}

/**
 * Generates the instance's secrets once (signing key, registration shared secret, macaroon and
 * form secrets), each in its own owner-only file under `secrets/`. Existing secrets are kept and
 * their permissions tightened. Returns whether a libpq passfile is in place.
 */
export async function ensureSecrets(
  paths: InstancePaths,
  opts: EnsureSecretsOptions = {},
): Promise<{ hasPgpass: boolean }> {
  await mkdir(paths.secretsDir, { recursive: true, mode: OWNER_ONLY_DIR });
  await chmod(paths.secretsDir, OWNER_ONLY_DIR);
  const generated: Array<[string, () => string]> = [
    [paths.signingKey, generateSigningKey],
    [paths.registrationSharedSecret, randomSecret],
    [paths.macaroonSecret, randomSecret],
    [paths.formSecret, randomSecret],
  ];
  for (const [file, make] of generated) {
    if (existsSync(file)) await chmod(file, OWNER_ONLY_FILE);
    else await writeOwnerOnly(file, `${make()}\n`);
  }
  const pg = opts.postgres;
  if (pg?.password !== undefined) {
    const line = [pg.host, String(pg.port), pg.database, pg.user, pg.password]
      .map(pgpassField)
      .join(':');
    await writeOwnerOnly(paths.pgpass, `${line}\n`);
  }
  return { hasPgpass: existsSync(paths.pgpass) };
}

/** Reads the registration shared secret (for the admin registration API). */
export async function readRegistrationSharedSecret(
  paths: Pick<InstancePaths, 'registrationSharedSecret'>,
): Promise<string> {
  return (await readFile(paths.registrationSharedSecret, 'utf8')).trim();
}
