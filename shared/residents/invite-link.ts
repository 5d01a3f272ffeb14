/**
 * Residents' invitation links (docs/mobile-and-residents.md). A link carries, in its URL fragment,
 * what the join page shows before the resident has an account (the community, whom to ask, the
 * expiry, the org agent's account) and the Synapse registration token. The token's first part is a
 * digest of those fields, so changing any of them yields a token the server never issued: the page
 * refuses an altered link at once, and a forged one fails at registration. The fragment never reaches
 * a server or its logs; the token is the only secret in the link. Pure: the digest is passed in.
 */

/** What a link says about its invitation, bound to its token. */
export interface InviteDescriptor {
  /** Code and name of the community (社区/村) unit. */
  unitCode: string;
  unitName: string;
  /** Display name of the grid worker or unit admin who made the invitation: whom to ask. */
  contact: string;
  /** When the invitation stops working, ms since the epoch. */
  expiresAt: number;
  /** The org agent's Matrix account, to which the resident's client sends the join request. */
  agent: string;
}

/** A link's descriptor and its token. */
export interface ParsedInvite {
  descriptor: InviteDescriptor;
  token: string;
}

/** SHA-256 of a text's UTF-8 bytes (WebCrypto in the app, node:crypto in the agent). */
export type Digest = (text: string) => Promise<Uint8Array>;

/** Where the invitation starts in the app URL's fragment. */
export const INVITE_FRAGMENT = 'join?';
/** Characters of the binding digest at the head of each token (96 bits). */
const BINDING_CHARS = 16;
/** Synapse allows `[A-Za-z0-9._~-]` and at most 64 characters in a registration token. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{32}$/;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += B64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

function canonical(d: InviteDescriptor): string {
  return [
    'hongyan-invite-v1',
    d.unitCode,
    d.unitName,
    d.contact,
    String(d.expiresAt),
    d.agent,
  ].join('\n');
}

async function binding(d: InviteDescriptor, digest: Digest): Promise<string> {
  return base64url(await digest(canonical(d))).slice(0, BINDING_CHARS);
}

/**
 * The registration token for an invitation: the descriptor's binding digest, a dot, and 32 random
 * base64url characters (192 bits) from the caller's secure random source.
 */
export async function makeInviteToken(
  d: InviteDescriptor,
  randomPart: string,
  digest: Digest,
): Promise<string> {
  const token = `${await binding(d, digest)}.${randomPart}`;
  if (!TOKEN_PATTERN.test(token))
    throw new Error('the random part must be 32 base64url characters');
  return token;
}

/** The link for an invitation: the app's URL with the invitation in its fragment. */
export function inviteLink(appUrl: string, invite: ParsedInvite): string {
  const d = invite.descriptor;
  const fields: [string, string][] = [
    ['u', d.unitCode],
    ['n', d.unitName],
    ['c', d.contact],
    ['e', String(d.expiresAt)],
    ['a', d.agent],
    ['t', invite.token],
  ];
  const base = appUrl.split('#')[0] ?? appUrl;
  return `${base}#${INVITE_FRAGMENT}${fields.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** Why a link cannot be used as it stands. */
export type InviteLinkProblem = 'malformed' | 'altered';

/** Whether a URL fragment (with or without `#`) is an invitation at all. */
export function isInviteFragment(fragment: string): boolean {
  return fragment.replace(/^#/, '').startsWith(INVITE_FRAGMENT);
}

/**
 * Reads an invitation out of a URL fragment. `malformed` when fields are missing or unreadable,
 * `altered` when the fields do not match the token's binding digest.
 */
export async function parseInviteFragment(
  fragment: string,
  digest: Digest,
): Promise<{ ok: true; invite: ParsedInvite } | { ok: false; problem: InviteLinkProblem }> {
  const body = fragment.replace(/^#/, '');
  if (!body.startsWith(INVITE_FRAGMENT)) return { ok: false, problem: 'malformed' };
  const fields = new Map<string, string>();
  for (const pair of body.slice(INVITE_FRAGMENT.length).split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { ok: false, problem: 'malformed' };
    try {
      fields.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
    } catch {
      return { ok: false, problem: 'malformed' };
    }
  }
  const [unitCode, unitName, contact, expires, agent, token] = ['u', 'n', 'c', 'e', 'a', 't'].map(
    (k) => fields.get(k) ?? '',
  );
  const expiresAt = Number(expires);
  if (
    !unitCode ||
    !unitName ||
    !contact ||
    !agent?.startsWith('@') ||
    !Number.isSafeInteger(expiresAt) ||
    !TOKEN_PATTERN.test(token ?? '')
  )
    return { ok: false, problem: 'malformed' };
  const descriptor: InviteDescriptor = { unitCode, unitName, contact, expiresAt, agent };
  if (!(token ?? '').startsWith(`${await binding(descriptor, digest)}.`))
    return { ok: false, problem: 'altered' };
  return { ok: true, invite: { descriptor, token: token ?? '' } };
}
