/**
 * The client's trust anchor: which accounts provision the org, learnt from the homeserver's
 * `/.well-known/matrix/client` (which only the server's operator can write). Rooms count as the
 * org's only if one of these accounts created them (shared/org/managed-rooms.ts, docs/trust.md).
 *
 * The last answer is remembered per homeserver, so a start without network still knows the anchor.
 * Without any answer the anchor is empty and no room is trusted: the app never guesses.
 */
import type { MatrixClient } from 'matrix-js-sdk';
import {
  orgWellKnownContent,
  ORG_WELL_KNOWN_KEY,
  parseOrgWellKnown,
} from '../../../shared/org/managed-rooms';

/** What the client knows of the org's provisioning accounts. */
export interface TrustAnchor {
  provisioningAccounts: string[];
  /** Why the list is empty (shown to admins); undefined when it is known. */
  error?: string;
}

const anchors = new WeakMap<MatrixClient, TrustAnchor>();

/** The anchor set for this client at start; empty (nothing trusted) when none was set. */
export function trustAnchorOf(client: MatrixClient): TrustAnchor {
  return anchors.get(client) ?? { provisioningAccounts: [], error: 'no trust anchor loaded' };
}

/** Records the anchor a client runs with (done once by the client manager, before the first sync). */
export function setTrustAnchor(client: MatrixClient, anchor: TrustAnchor): void {
  anchors.set(client, anchor);
}

const cacheKey = (homeserverUrl: string) => `hongyan.trust-anchor.${homeserverUrl}`;

function cached(homeserverUrl: string): string[] | undefined {
  try {
    const raw = globalThis.localStorage?.getItem(cacheKey(homeserverUrl));
    const parsed = raw ? parseOrgWellKnown(JSON.parse(raw)) : undefined;
    return parsed?.ok ? parsed.provisioningAccounts : undefined;
  } catch {
    return undefined;
  }
}

/** Fetches the anchor from the homeserver, falling back to the last one it answered. */
export async function loadTrustAnchor(homeserverUrl: string): Promise<TrustAnchor> {
  const url = `${homeserverUrl.replace(/\/+$/, '')}/.well-known/matrix/client`;
  let body: unknown;
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (err) {
    const remembered = cached(homeserverUrl);
    if (remembered) return { provisioningAccounts: remembered };
    return { provisioningAccounts: [], error: `${url}: ${(err as Error).message}` };
  }
  const parsed = parseOrgWellKnown(body);
  if (!parsed.ok) return { provisioningAccounts: [], error: `${url}: ${parsed.error}` };
  try {
    globalThis.localStorage?.setItem(
      cacheKey(homeserverUrl),
      JSON.stringify({ [ORG_WELL_KNOWN_KEY]: orgWellKnownContent(parsed.provisioningAccounts) }),
    );
  } catch {
    // Storage full or unavailable: the anchor still holds for this run.
  }
  return { provisioningAccounts: parsed.provisioningAccounts };
}
