/**
 * `hongyan://` deep links: the SSO login callback and links to a room or a circular.
 * The parser is strict (exact hosts, exact path shape, exact query) because a deep link is input from
 * anything on the machine that can open a URL. Refusal reasons never repeat the link itself, since
 * an SSO callback carries a login token.
 */
import { isEventId, isRoomId } from './matrix-ids';

/** The URL scheme registered with the OS. */
export const DEEP_LINK_SCHEME = 'hongyan';

/** A parsed, validated deep link. */
export type DeepLink =
  /** `hongyan://sso-callback?loginToken=...`: the homeserver's SSO redirect back to the app. */
  | { kind: 'sso-callback'; loginToken: string }
  /** `hongyan://room/<roomId>` */
  | { kind: 'room'; roomId: string }
  /** `hongyan://circular/<roomId>/<eventId>` */
  | { kind: 'circular'; roomId: string; eventId: string };

/** Result of {@link parseDeepLink}; `reason` is safe to log. */
export type DeepLinkParseResult = { ok: true; link: DeepLink } | { ok: false; reason: string };

/** Longest link accepted; real links are far shorter. */
export const MAX_DEEP_LINK_LENGTH = 2048;

const PREFIX = `${DEEP_LINK_SCHEME}://`;
// Synapse login tokens are URL-safe (`syl_<random>_<checksum>`); anything else is refused, not decoded.
const LOGIN_TOKEN = /^[A-Za-z0-9_\-.~]{1,1024}$/;
// Anything outside printable ASCII, and characters that would change how the link splits.
const FORBIDDEN = /[^\x21-\x7e]|[#@\\]/;

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** True when a command-line argument looks like one of our deep links (to pick it out of argv). */
export function looksLikeDeepLink(arg: string): boolean {
  return arg.slice(0, PREFIX.length).toLowerCase() === PREFIX;
}

/** Parses and validates a `hongyan://` link. Anything not exactly one of the known shapes is refused. */
export function parseDeepLink(input: unknown): DeepLinkParseResult {
  if (typeof input !== 'string') return { ok: false, reason: 'deep link is not a string' };
  if (input.length > MAX_DEEP_LINK_LENGTH) return { ok: false, reason: 'deep link is too long' };
  if (!looksLikeDeepLink(input))
    return { ok: false, reason: `deep link does not start with ${PREFIX}` };
  const rest = input.slice(PREFIX.length);
  if (FORBIDDEN.test(rest)) {
    return {
      ok: false,
      reason: 'deep link contains spaces, control or non-ASCII characters, "#", "@" or "\\"',
    };
  }

  const queryStart = rest.indexOf('?');
  const beforeQuery = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const query = queryStart === -1 ? null : rest.slice(queryStart + 1);
  const [host = '', ...segments] = beforeQuery.split('/');
  // A single trailing slash is harmless (some OS handlers add one); empty segments elsewhere are not.
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  if (segments.includes(''))
    return { ok: false, reason: `deep link "${host}" has an empty path segment` };

  switch (host) {
    case 'sso-callback': {
      if (segments.length !== 0)
        return { ok: false, reason: 'sso-callback link has an unexpected path' };
      if (query === null) return { ok: false, reason: 'sso-callback link has no loginToken' };
      const params = query.split('&');
      if (params.length !== 1 || !params[0]?.startsWith('loginToken=')) {
        return {
          ok: false,
          reason: 'sso-callback link must carry exactly one parameter, loginToken',
        };
      }
      const token = params[0].slice('loginToken='.length);
      if (!LOGIN_TOKEN.test(token))
        return { ok: false, reason: 'sso-callback loginToken is malformed' };
      return { ok: true, link: { kind: 'sso-callback', loginToken: token } };
    }
    case 'room': {
      if (query !== null) return { ok: false, reason: 'room link must not have a query' };
      if (segments.length !== 1)
        return { ok: false, reason: 'room link must be hongyan://room/<roomId>' };
      const roomId = decodeSegment(segments[0] ?? '');
      if (!isRoomId(roomId)) return { ok: false, reason: 'room link has a malformed room ID' };
      return { ok: true, link: { kind: 'room', roomId } };
    }
    case 'circular': {
      if (query !== null) return { ok: false, reason: 'circular link must not have a query' };
      if (segments.length !== 2) {
        return { ok: false, reason: 'circular link must be hongyan://circular/<roomId>/<eventId>' };
      }
      const roomId = decodeSegment(segments[0] ?? '');
      const eventId = decodeSegment(segments[1] ?? '');
      if (!isRoomId(roomId)) return { ok: false, reason: 'circular link has a malformed room ID' };
      if (!isEventId(eventId))
        return { ok: false, reason: 'circular link has a malformed event ID' };
      return { ok: true, link: { kind: 'circular', roomId, eventId } };
    }
    default:
      return {
        ok: false,
        reason: 'deep link has an unknown target (expected sso-callback, room or circular)',
      };
  }
}

/** Runtime check for a {@link DeepLink} object (used when one crosses IPC). */
export function isDeepLink(value: unknown): value is DeepLink {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v['kind']) {
    case 'sso-callback':
      return typeof v['loginToken'] === 'string' && LOGIN_TOKEN.test(v['loginToken']);
    case 'room':
      return isRoomId(v['roomId']);
    case 'circular':
      return isRoomId(v['roomId']) && isEventId(v['eventId']);
    default:
      return false;
  }
}
