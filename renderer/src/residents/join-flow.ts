/**
 * The resident's side of joining by invitation (docs/mobile-and-residents.md): reading the link with
 * WebCrypto, registering with the link's token through interactive auth, and asking the org agent
 * to place the account in the community's rooms by a to-device message.
 */
import { ClientEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import { RESIDENT_JOIN_EVENT, RESIDENT_JOIN_RESULT_EVENT } from '../../../shared/matrix-types';
import { parseInviteFragment } from '../../../shared/residents/invite-link';
import type { Digest, ParsedInvite } from '../../../shared/residents/invite-link';
import { parseJoinResult } from '../../../shared/residents/invites';
import type { ResidentJoinResult } from '../../../shared/residents/invites';

/** SHA-256 through WebCrypto, for the link's binding digest. */
export const webDigest: Digest = async (text) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

/** Reads the invitation in a URL fragment (see shared/residents/invite-link.ts). */
export function readInvite(fragment: string) {
  return parseInviteFragment(fragment, webDigest);
}

/** Why registration was refused, each with its own sentence (`residents.register.<kind>`). */
export type RegisterProblem =
  | 'missing'
  | 'mismatch'
  | 'tooWeak'
  | 'usernameInvalid'
  | 'usernameTaken'
  | 'tokenRefused'
  | 'rateLimited'
  | 'failed';

/** What the registration form holds. */
export interface RegisterInput {
  displayName: string;
  username: string;
  password: string;
  confirm: string;
}

/** Matrix user-ID localparts as Synapse accepts them for new accounts. */
const USERNAME = /^[a-z0-9._=/-]{1,64}$/;

/**
 * The server's password policy (homeserver `password_config.policy`): at least 10 characters with
 * an upper-case letter, a lower-case letter and a digit. Checked here so the form can say so before
 * anything is sent; the server checks again.
 */
export function meetsPasswordPolicy(password: string): boolean {
  return (
    password.length >= 10 && /[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password)
  );
}

/** Checks the form before anything is sent. */
export function checkRegisterInput(input: RegisterInput): RegisterProblem | null {
  if (!input.displayName.trim() || !input.username || !input.password || !input.confirm)
    return 'missing';
  if (!USERNAME.test(input.username)) return 'usernameInvalid';
  if (input.password !== input.confirm) return 'mismatch';
  if (!meetsPasswordPolicy(input.password)) return 'tooWeak';
  return null;
}

/** Classifies a refused `/register` answer. */
export function registerProblem(
  status: number,
  errcode: string,
  tokenStage: boolean,
): RegisterProblem {
  if (errcode === 'M_USER_IN_USE') return 'usernameTaken';
  if (errcode === 'M_INVALID_USERNAME' || errcode === 'M_EXCLUSIVE') return 'usernameInvalid';
  if (/^M_(WEAK_PASSWORD|PASSWORD_[A-Z_]+)$/.test(errcode)) return 'tooWeak';
  if (errcode === 'M_LIMIT_EXCEEDED' || status === 429) return 'rateLimited';
  // The token stage refused it: unknown, expired or used up. Synapse does not say which, and its
  // validity endpoint would put the token in an access log, so the page names whom to ask instead.
  if (tokenStage && status === 401) return 'tokenRefused';
  return 'failed';
}

/**
 * Registers an account with the invitation's token (`m.login.registration_token`, then
 * `m.login.dummy` if the server asks for it). No session is created here (`inhibit_login`): the app
 * signs in afterwards as for any account, so there is one device, set up by the usual path.
 * Resolves to null on success, or the problem.
 */
export async function registerWithToken(
  homeserverUrl: string,
  input: { username: string; password: string; token: string },
  fetchFn: typeof fetch = fetch,
): Promise<RegisterProblem | null> {
  const url = `${homeserverUrl.replace(/\/+$/, '')}/_matrix/client/v3/register`;
  const body = { username: input.username, password: input.password, inhibit_login: true };
  const post = async (auth?: object) => {
    let res: Response;
    try {
      res = await fetchFn(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(auth ? { ...body, auth } : body),
      });
    } catch {
      return { status: 0, json: {} as Record<string, unknown> };
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, json };
  };
  const errcode = (json: Record<string, unknown>) =>
    typeof json.errcode === 'string' ? json.errcode : '';
  let res = await post();
  if (res.status === 200) return null;
  const session = typeof res.json.session === 'string' ? res.json.session : undefined;
  if (res.status !== 401 || session === undefined)
    return registerProblem(res.status, errcode(res.json), false);
  res = await post({ type: 'm.login.registration_token', token: input.token, session });
  const completed = Array.isArray(res.json.completed) ? (res.json.completed as unknown[]) : [];
  if (res.status === 401 && completed.includes('m.login.registration_token'))
    res = await post({ type: 'm.login.dummy', session });
  else if (res.status !== 200) return registerProblem(res.status, errcode(res.json), true);
  return res.status === 200 ? null : registerProblem(res.status, errcode(res.json), false);
}

/** How long the page waits for the agent's answer before offering to ask again. */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Sends the invitation's token to the org agent and waits for its to-device answer about this
 * token. Resolves to undefined when no answer came in time (asking again is safe: a resident
 * already placed gets `ok` without using a second place).
 */
export function askAgentToJoin(
  client: MatrixClient,
  invite: ParsedInvite,
  timeoutMs = ANSWER_TIMEOUT_MS,
): Promise<ResidentJoinResult | undefined> {
  return new Promise((resolve, reject) => {
    const onEvent = (event: MatrixEvent) => {
      if (event.getType() !== RESIDENT_JOIN_RESULT_EVENT) return;
      if (event.getSender() !== invite.descriptor.agent) return;
      const result = parseJoinResult(event.getContent());
      if (result?.token !== invite.token) return;
      finish(result);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (result: ResidentJoinResult | undefined) => {
      clearTimeout(timer);
      client.off(ClientEvent.ToDeviceEvent, onEvent);
      resolve(result);
    };
    client.on(ClientEvent.ToDeviceEvent, onEvent);
    const content = new Map([['*', { token: invite.token }]]);
    client
      .sendToDevice(RESIDENT_JOIN_EVENT, new Map([[invite.descriptor.agent, content]]))
      .catch((err: unknown) => {
        clearTimeout(timer);
        client.off(ClientEvent.ToDeviceEvent, onEvent);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
  });
}
