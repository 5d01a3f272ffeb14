/**
 * Which rooms are the org's own. Anyone can create a room or Space and write Hongyan's state into it,
 * so state alone never makes a unit: a room counts as managed only if a provisioning account created
 * it and its canonical alias is the one the org's naming gives that room (see docs/trust.md).
 *
 * The provisioning accounts are learnt from a source an ordinary user cannot write: the homeserver's
 * `/.well-known/matrix/client` (Synapse's `extra_well_known_client_content`), under {@link ORG_WELL_KNOWN_KEY}.
 */
import { UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import { ALIAS_PREFIX, parseRoomAliasLocalpart, type ManagedRoomKind } from './matrix-mapping';
import type { StateEventRecord } from './snapshot';

/** Key of the org's entry in the homeserver's `/.well-known/matrix/client`. */
export const ORG_WELL_KNOWN_KEY = 'cn.hongyan.org';

/** Synapse glob of the org's aliases, reserved to the provisioning account by `alias_creation_rules`. */
export const ORG_ALIAS_GLOB = `#${ALIAS_PREFIX}.*`;

/** The org's entry in `/.well-known/matrix/client`. */
export interface OrgWellKnownContent {
  /** Matrix user IDs of the accounts that provision the org (usually one). */
  provisioning_accounts: string[];
}

/** The well-known entry naming the provisioning accounts (what the kit and production config serve). */
export function orgWellKnownContent(provisioningAccounts: readonly string[]): OrgWellKnownContent {
  return { provisioning_accounts: [...provisioningAccounts] };
}

const USER_ID = /^@[^:\s]+:[^\s]+$/;

/**
 * Reads the provisioning accounts from a `/.well-known/matrix/client` body. A missing or malformed
 * entry is an error naming what is wrong: the caller then trusts no room (it never guesses).
 */
export function parseOrgWellKnown(
  body: unknown,
): { ok: true; provisioningAccounts: string[] } | { ok: false; error: string } {
  const entry =
    typeof body === 'object' && body !== null
      ? (body as Record<string, unknown>)[ORG_WELL_KNOWN_KEY]
      : undefined;
  if (typeof entry !== 'object' || entry === null)
    return { ok: false, error: `/.well-known/matrix/client has no "${ORG_WELL_KNOWN_KEY}" entry` };
  const accounts = (entry as Record<string, unknown>).provisioning_accounts;
  if (!Array.isArray(accounts) || accounts.length === 0)
    return {
      ok: false,
      error: `${ORG_WELL_KNOWN_KEY}.provisioning_accounts must be a non-empty list of user IDs`,
    };
  const bad = accounts.find((a) => typeof a !== 'string' || !USER_ID.test(a));
  if (bad !== undefined)
    return {
      ok: false,
      error: `${ORG_WELL_KNOWN_KEY}.provisioning_accounts: ${JSON.stringify(bad)} is not a Matrix user ID`,
    };
  return { ok: true, provisioningAccounts: accounts as string[] };
}

/**
 * Who created a room: the sender of its `m.room.create` event, or the `creator` field that room
 * versions before 11 also carry. Undefined when the create event is not among the records.
 */
export function roomCreator(state: readonly StateEventRecord[]): string | undefined {
  const create = state.find((e) => e.type === 'm.room.create' && e.state_key === '');
  if (!create) return undefined;
  if (create.sender) return create.sender;
  return typeof create.content.creator === 'string' ? create.content.creator : undefined;
}

/** The room's canonical alias (`#localpart:server`), if it has one. */
export function canonicalAlias(state: readonly StateEventRecord[]): string | undefined {
  const ev = state.find((e) => e.type === 'm.room.canonical_alias' && e.state_key === '');
  const alias = ev?.content.alias;
  return typeof alias === 'string' ? alias : undefined;
}

/** Why a room carrying Hongyan state is not one of the org's rooms. */
export type UnmanagedReason =
  /** The client does not know the provisioning accounts (see {@link parseOrgWellKnown}). */
  | 'no_trust_anchor'
  /** Someone other than a provisioning account created it. */
  | 'not_provisioned'
  /** Its canonical alias is missing or not the org's name for what its state claims it is. */
  | 'alias_mismatch';

/** What a managed room is, by its alias. */
export interface ManagedRoomIdentity {
  unitCode: string;
  kind: ManagedRoomKind;
  slug?: string;
}

/** Verdict of {@link checkManagedRoom}. */
export type ManagedRoomCheck =
  ({ managed: true } & ManagedRoomIdentity) | { managed: false; reason: UnmanagedReason };

const serverOf = (userId: string): string => userId.slice(userId.indexOf(':') + 1);

/**
 * Whether a room is one of the org's rooms: created by a provisioning account, with the canonical
 * alias (on that account's server) that the org's naming gives a room of the unit and kind its
 * `cn.hongyan.*` state claims. Only then may its state be believed.
 */
export function checkManagedRoom(
  state: readonly StateEventRecord[],
  provisioningAccounts: readonly string[],
): ManagedRoomCheck {
  if (provisioningAccounts.length === 0) return { managed: false, reason: 'no_trust_anchor' };
  const creator = roomCreator(state);
  if (!creator || !provisioningAccounts.includes(creator))
    return { managed: false, reason: 'not_provisioned' };
  const alias = canonicalAlias(state);
  const suffix = `:${serverOf(creator)}`;
  if (!alias?.startsWith('#') || !alias.endsWith(suffix))
    return { managed: false, reason: 'alias_mismatch' };
  const named = parseRoomAliasLocalpart(alias.slice(1, -suffix.length));
  if (!named || !stateAgreesWithAlias(state, named))
    return { managed: false, reason: 'alias_mismatch' };
  return { managed: true, ...named };
}

/** Whether the room's `cn.hongyan.*` state claims the unit and kind its alias names. */
function stateAgreesWithAlias(
  state: readonly StateEventRecord[],
  named: ManagedRoomIdentity,
): boolean {
  if (named.kind === 'space') {
    const unit = state.find((e) => e.type === UNIT_STATE_EVENT && e.state_key === '');
    return unit?.content.code === named.unitCode;
  }
  const room = state.find((e) => e.type === UNIT_ROOM_STATE_EVENT && e.state_key === '');
  const c = room?.content;
  if (c?.unitCode !== named.unitCode || c.kind !== named.kind) return false;
  return named.kind !== 'department' || c.slug === named.slug;
}
