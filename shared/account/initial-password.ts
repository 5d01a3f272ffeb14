/**
 * The marker of an account whose password was set by someone other than its owner: provisioning,
 * the demo seed or the org agent, when they create the account or reset its password. It is the
 * account's own account data, written by the administrator acting as the user, and the app removes
 * it once the owner has chosen a new password through `/account/password`.
 *
 * The owner can clear it with any Matrix client without changing the password. That is deliberate
 * and harmless to others: the marker protects the owner (the administrator who handed the initial
 * password over knows it), and only the owner's own account is exposed by skipping.
 */

/** Account data type of the marker. */
export const INITIAL_PASSWORD_EVENT = 'cn.hongyan.password';

/** Content written when an administrator sets the password. */
export interface InitialPasswordContent {
  initial: true;
  /** When the administrator set it (ms since the epoch). */
  setAt: number;
}

/** Content written by the app after the owner changed the password. */
export interface ChangedPasswordContent {
  initial: false;
  changedAt: number;
}

/** The marker's content for a password set now by an administrator. */
export function initialPasswordContent(now = Date.now()): InitialPasswordContent {
  return { initial: true, setAt: now };
}

/** The marker's content after the owner changed the password now. */
export function changedPasswordContent(now = Date.now()): ChangedPasswordContent {
  return { initial: false, changedAt: now };
}

/** Whether account data content (or its absence) says the password is still the initial one. */
export function isInitialPassword(content: unknown): boolean {
  return (
    typeof content === 'object' &&
    content !== null &&
    (content as { initial?: unknown }).initial === true
  );
}
