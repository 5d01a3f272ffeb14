/**
 * Changing the account password through the Matrix `/account/password` endpoint, with the
 * user-interactive auth step answered by the current password (`m.login.password`), and the
 * first-login marker (shared/account/initial-password.ts) read and cleared.
 */
import { Method, type MatrixClient } from 'matrix-js-sdk';
import {
  changedPasswordContent,
  INITIAL_PASSWORD_EVENT,
  isInitialPassword,
} from '../../../shared/account/initial-password';
import { passwordAuth } from '../matrix/crypto-setup';

/** Why a password change was refused, each with its own sentence (`account.password.<kind>`). */
export type PasswordChangeProblem =
  'missing' | 'mismatch' | 'same' | 'wrongCurrent' | 'tooWeak' | 'rateLimited' | 'failed';

/** What the form holds. */
export interface PasswordChangeInput {
  current: string;
  next: string;
  confirm: string;
}

/** Checks the form before anything is sent: filled in, typed twice alike, and actually new. */
export function checkPasswordInput(input: PasswordChangeInput): PasswordChangeProblem | null {
  if (!input.current || !input.next || !input.confirm) return 'missing';
  if (input.next !== input.confirm) return 'mismatch';
  if (input.next === input.current) return 'same';
  return null;
}

/**
 * Synapse's answers to a refused password (`password_config.policy`): `M_PASSWORD_TOO_SHORT`,
 * `M_PASSWORD_NO_DIGIT`, `…_NO_UPPERCASE`, `…_NO_LOWERCASE`, `…_NO_SYMBOL`, and the spec's
 * `M_WEAK_PASSWORD`.
 */
const WEAK_PASSWORD = /^M_(WEAK_PASSWORD|PASSWORD_[A-Z_]+)$/;

/** Classifies a failed change by the server's answer. */
export function passwordChangeProblem(err: unknown): PasswordChangeProblem {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    errcode?: unknown;
    httpStatus?: unknown;
  };
  const errcode = typeof e.errcode === 'string' ? e.errcode : '';
  if (WEAK_PASSWORD.test(errcode)) return 'tooWeak';
  if (errcode === 'M_LIMIT_EXCEEDED' || e.httpStatus === 429) return 'rateLimited';
  // The auth step refused the current password (Synapse: 401 M_FORBIDDEN "Invalid password").
  if (errcode === 'M_FORBIDDEN' || e.httpStatus === 401) return 'wrongCurrent';
  return 'failed';
}

/**
 * Sets a new password. Other devices stay signed in (`logout_devices: false`): their keys would be
 * lost with them, and a person changing an initial password has no other device anyway. Clears the
 * first-login marker afterwards.
 * @throws the server's error; classify it with {@link passwordChangeProblem}.
 */
export async function changeAccountPassword(
  client: MatrixClient,
  passwords: { current: string; next: string },
): Promise<void> {
  // The first request carries no auth: the server answers with the session the password step joins.
  await passwordAuth(
    client,
    passwords.current,
  )(async (auth) => {
    await client.http.authedRequest(Method.Post, '/account/password', undefined, {
      ...(auth ? { auth } : {}),
      new_password: passwords.next,
      logout_devices: false,
    });
  });
  await client.http.authedRequest(
    Method.Put,
    markerPath(client),
    undefined,
    changedPasswordContent(),
  );
}

/** Whether the account still uses the password an administrator set (read from the server). */
export async function hasInitialPassword(client: MatrixClient): Promise<boolean> {
  try {
    return isInitialPassword(
      await client.http.authedRequest<unknown>(Method.Get, markerPath(client)),
    );
  } catch (err) {
    // No marker: the owner chose the password (registered, SSO, changed it already).
    if ((err as { errcode?: unknown }).errcode === 'M_NOT_FOUND') return false;
    throw err;
  }
}

function markerPath(client: MatrixClient): string {
  return `/user/${encodeURIComponent(client.getSafeUserId())}/account_data/${encodeURIComponent(INITIAL_PASSWORD_EVENT)}`;
}
