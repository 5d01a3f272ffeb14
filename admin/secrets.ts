/**
 * The admin tool's secrets: the admin token comes from the environment or an owner-only file, and
 * generated passwords go to an owner-only file. Neither is ever printed or put in a URL.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Environment variable holding the admin access token. */
export const TOKEN_ENV = 'HONGYAN_ADMIN_TOKEN';

/** A secret could not be read or written safely. */
export class SecretFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

/**
 * Reads the admin token: from `tokenFile` when given, else from `HONGYAN_ADMIN_TOKEN`.
 * A token file must belong to the current user and be unreadable by group and others.
 */
export async function readAdminToken(opts: {
  tokenFile?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<string> {
  if (opts.tokenFile !== undefined) {
    const info = await stat(opts.tokenFile).catch((err: NodeJS.ErrnoException) => {
      throw new SecretFileError(
        `cannot read token file ${opts.tokenFile}: ${err.code ?? err.message}`,
      );
    });
    if ((info.mode & 0o077) !== 0) {
      throw new SecretFileError(
        `token file ${opts.tokenFile} is readable by group or others (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it`,
      );
    }
    if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
      throw new SecretFileError(`token file ${opts.tokenFile} belongs to another user`);
    }
    const handle = await open(opts.tokenFile, 'r');
    const token = (await handle.readFile('utf8').finally(() => handle.close())).trim();
    if (token === '') throw new SecretFileError(`token file ${opts.tokenFile} is empty`);
    return token;
  }
  const token = (opts.env ?? process.env)[TOKEN_ENV]?.trim();
  if (!token)
    throw new SecretFileError(`no admin token: set ${TOKEN_ENV} or pass --token-file FILE`);
  return token;
}

/**
 * An append-only, owner-only (0600) file of generated passwords, one `user_id,password` line each.
 * Each line is flushed to disk before the account it belongs to is created, so an interruption
 * never loses a password; if an account is created again on a rerun, its later line wins.
 */
export class PasswordFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Opens (or creates) the file; refuses an existing file that others can read. */
  static async open(file: string): Promise<PasswordFile> {
    const existing = await stat(file).catch(() => undefined);
    if (existing && (existing.mode & 0o077) !== 0) {
      throw new SecretFileError(
        `password file ${file} is readable by group or others; refusing to add passwords to it`,
      );
    }
    const handle = await open(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND,
      0o600,
    );
    await handle.chmod(0o600);
    if (!existing) await handle.write('user_id,password\n');
    return new PasswordFile(file, handle);
  }

  /** Appends one line and waits until it is on disk. */
  async add(userId: string, password: string): Promise<void> {
    await this.handle.write(`${userId},${password}\n`);
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
