import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { KitError } from './errors';
import type { InstancePaths } from './paths';
import { readRegistrationSharedSecret, writeOwnerOnly } from './secrets';

/** A user with a logged-in device. */
export interface MatrixUser {
  userId: string;
  accessToken: string;
  deviceId: string;
  password: string;
}

/** The parts of an instance the admin helpers need. */
export interface AdminTarget {
  /** Client-API base URL, e.g. `http://127.0.0.1:8008`. */
  baseUrl: string;
  /** Where the shared secret and the admin credentials live. */
  paths: Pick<InstancePaths, 'registrationSharedSecret' | 'adminCredentials'>;
}

/** Options of {@link registerUser}. */
export interface RegisterUserOptions {
  /** Localpart of the new user (`alice` for `@alice:server`). */
  username: string;
  /** Password; a random one is generated (and returned) when absent. */
  password?: string;
  /** Make the user a server admin. Default false. */
  admin?: boolean;
  /** Display name; Synapse uses the username when absent. */
  displayName?: string;
}

/** Localpart of the kit's own server-admin user. */
export const KIT_ADMIN_USERNAME = 'hongyan-admin';

interface MatrixResponse {
  status: number;
  body: Record<string, unknown>;
}

async function matrixRequest(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: unknown; token?: string } = {},
): Promise<MatrixResponse> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(opts.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        // Tokens go in the header, never in the URL, so they stay out of access logs.
        ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}),
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    throw new KitError(`${method} ${baseUrl}${path} failed: ${(err as Error).message}`, {
      code: 'admin-api',
      cause: err,
    });
  }
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { error: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

function describeFailure(what: string, res: MatrixResponse): KitError {
  const errcode = typeof res.body.errcode === 'string' ? res.body.errcode : `HTTP ${res.status}`;
  const error = typeof res.body.error === 'string' ? `: ${res.body.error}` : '';
  return new KitError(`${what} failed (${errcode}${error})`, { code: 'admin-api' });
}

/** The new session in a registration or login response; `what` names the request in the error. */
function sessionFrom(
  res: MatrixResponse,
  what: string,
): Pick<MatrixUser, 'userId' | 'accessToken' | 'deviceId'> {
  const { user_id: userId, access_token: accessToken, device_id: deviceId } = res.body;
  if (
    res.status !== 200 ||
    typeof userId !== 'string' ||
    typeof accessToken !== 'string' ||
    typeof deviceId !== 'string'
  ) {
    throw describeFailure(what, res);
  }
  return { userId, accessToken, deviceId };
}

/**
 * The HMAC-SHA1 the shared-secret registration API expects: hex digest over nonce, username,
 * password and "admin"/"notadmin", separated by NUL bytes (Synapse docs, admin_api/register_api).
 */
export function registrationMac(opts: {
  secret: string;
  nonce: string;
  username: string;
  password: string;
  admin: boolean;
}): string {
  return createHmac('sha1', opts.secret)
    .update(
      [opts.nonce, opts.username, opts.password, opts.admin ? 'admin' : 'notadmin'].join('\0'),
      'utf8',
    )
    .digest('hex');
}

/** A random password for generated accounts. */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Registers a user through Synapse's shared-secret admin API (`/_synapse/admin/v1/register`),
 * which works with open registration off. Fails with code `user-exists` when the name is taken.
 */
export async function registerUser(
  target: AdminTarget,
  opts: RegisterUserOptions,
): Promise<MatrixUser> {
  const secret = await readRegistrationSharedSecret(target.paths);
  const password = opts.password ?? randomPassword();
  const admin = opts.admin ?? false;
  const nonceRes = await matrixRequest(target.baseUrl, 'GET', '/_synapse/admin/v1/register');
  const nonce = nonceRes.body.nonce;
  if (nonceRes.status !== 200 || typeof nonce !== 'string')
    throw describeFailure('Fetching a registration nonce', nonceRes);
  const res = await matrixRequest(target.baseUrl, 'POST', '/_synapse/admin/v1/register', {
    body: {
      nonce,
      username: opts.username,
      password,
      admin,
      ...(opts.displayName === undefined ? {} : { displayname: opts.displayName }),
      mac: registrationMac({ secret, nonce, username: opts.username, password, admin }),
    },
  });
  if (res.body.errcode === 'M_USER_IN_USE') {
    throw new KitError(`User "${opts.username}" already exists on ${target.baseUrl}`, {
      code: 'user-exists',
    });
  }
  return { ...sessionFrom(res, `Registering "${opts.username}"`), password };
}

/** Logs a user in with a password (`/_matrix/client/v3/login`), creating a new device. */
export async function loginWithPassword(
  baseUrl: string,
  opts: { user: string; password: string; deviceDisplayName?: string },
): Promise<MatrixUser> {
  const res = await matrixRequest(baseUrl, 'POST', '/_matrix/client/v3/login', {
    body: {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: opts.user },
      password: opts.password,
      initial_device_display_name: opts.deviceDisplayName ?? 'Hongyan homeserver kit',
    },
  });
  return { ...sessionFrom(res, `Logging in as ${opts.user}`), password: opts.password };
}

function isMatrixUser(value: unknown): value is MatrixUser {
  const v = value as Partial<MatrixUser> | null;
  return (
    typeof v?.userId === 'string' &&
    typeof v.accessToken === 'string' &&
    typeof v.deviceId === 'string' &&
    typeof v.password === 'string'
  );
}

/**
 * Ensures the kit's server-admin user exists and returns working credentials. They are kept in
 * `secrets/admin.json` (owner-only): created on first call through the shared-secret API, checked
 * with `whoami` afterwards, and renewed by a password login if the token was revoked.
 */
export async function ensureAdmin(target: AdminTarget): Promise<MatrixUser> {
  const file = target.paths.adminCredentials;
  if (existsSync(file)) {
    let stored: unknown;
    try {
      stored = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      stored = undefined;
    }
    if (!isMatrixUser(stored))
      throw new KitError(
        `${file}: not valid admin credentials; delete it only together with the instance (reset)`,
      );
    const whoami = await matrixRequest(target.baseUrl, 'GET', '/_matrix/client/v3/account/whoami', {
      token: stored.accessToken,
    });
    if (whoami.status === 200 && whoami.body.user_id === stored.userId) return stored;
    if (whoami.status !== 401) throw describeFailure('Checking the admin token', whoami);
    const renewed = await loginWithPassword(target.baseUrl, {
      user: stored.userId,
      password: stored.password,
    });
    await writeOwnerOnly(file, `${JSON.stringify(renewed, null, 2)}\n`);
    return renewed;
  }
  let admin: MatrixUser;
  try {
    admin = await registerUser(target, {
      username: KIT_ADMIN_USERNAME,
      admin: true,
      displayName: 'Hongyan Admin',
    });
  } catch (err) {
    if (err instanceof KitError && err.code === 'user-exists') {
      throw new KitError(
        `The admin user "${KIT_ADMIN_USERNAME}" exists but ${file} is missing, so its password is unknown; restore the file or reset the instance`,
        {
          code: 'admin-api',
        },
      );
    }
    throw err;
  }
  await writeOwnerOnly(file, `${JSON.stringify(admin, null, 2)}\n`);
  return admin;
}
