import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PasswordFile, readAdminToken, SecretFileError, TOKEN_ENV } from './secrets';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hy-secret-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readAdminToken', () => {
  it('reads an owner-only token file', async () => {
    const file = path.join(dir, 'token');
    await writeFile(file, 'syt_secret\n', { mode: 0o600 });
    expect(await readAdminToken({ tokenFile: file })).toBe('syt_secret');
  });

  it('refuses a token file that group or others can read, without revealing the token', async () => {
    const file = path.join(dir, 'token');
    await writeFile(file, 'syt_secret\n');
    await chmod(file, 0o644);
    const err = await readAdminToken({ tokenFile: file }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretFileError);
    expect((err as Error).message).toContain('mode 644');
    expect((err as Error).message).not.toContain('syt_secret');
  });

  it('falls back to the environment and says what to set when there is nothing', async () => {
    expect(await readAdminToken({ env: { [TOKEN_ENV]: ' syt_env ' } })).toBe('syt_env');
    await expect(readAdminToken({ env: {} })).rejects.toThrow(
      `set ${TOKEN_ENV} or pass --token-file`,
    );
  });
});

describe('PasswordFile', () => {
  it('creates an owner-only file and appends lines', async () => {
    const file = path.join(dir, 'passwords.csv');
    const pw = await PasswordFile.open(file);
    await pw.add('@a:hy.test', 'pw1');
    await pw.close();
    const again = await PasswordFile.open(file);
    await again.add('@b:hy.test', 'pw2');
    await again.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe('user_id,password\n@a:hy.test,pw1\n@b:hy.test,pw2\n');
  });

  it('refuses to add passwords to a file others can read', async () => {
    const file = path.join(dir, 'passwords.csv');
    await writeFile(file, '');
    await chmod(file, 0o640);
    await expect(PasswordFile.open(file)).rejects.toThrow('readable by group or others');
  });
});
