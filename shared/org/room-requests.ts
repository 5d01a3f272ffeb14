/**
 * Bodies of the client-server API requests that provisioning sends, built from the desired state.
 * Room references are resolved to IDs through `resolve`, which knows rooms that existed before the
 * apply and rooms created during it.
 */
import { UNIT_MEMBER_STATE_EVENT, UNIT_ROOM_STATE_EVENT, UNIT_STATE_EVENT } from '../matrix-types';
import type { DesiredRoom } from './desired-state';
import { MEGOLM_ALGORITHM, ROOM_VERSION, unitMemberStateKey } from './matrix-mapping';
import { MANAGED_HISTORY_VISIBILITY } from './planner';
import type { PlanAction } from './plan-types';

/** Looks up the room ID of a managed alias localpart. */
export type AliasResolver = (alias: string) => string;

/** A state event as `initial_state` takes it. */
export interface InitialStateEvent {
  type: string;
  state_key: string;
  content: Record<string, unknown>;
}

/** Content of `m.room.join_rules`: invite-only, or restricted to members of the given Spaces. */
export function joinRulesContent(
  allow: readonly string[],
  resolve: AliasResolver,
): Record<string, unknown> {
  if (allow.length === 0) return { join_rule: 'invite' };
  return {
    join_rule: 'restricted',
    allow: allow.map((a) => ({ type: 'm.room_membership', room_id: resolve(a) })),
  };
}

/** Content of a `m.space.child` link (the server name tells clients where to join through). */
export function spaceChildContent(serverName: string): Record<string, unknown> {
  return { via: [serverName] };
}

/** Content of a `m.space.parent` link; canonical because a unit room has exactly one unit. */
export function spaceParentContent(serverName: string): Record<string, unknown> {
  return { via: [serverName], canonical: true };
}

/** The plan's actions that are one state event: join rules and Space links. */
export type LinkAction = Extract<
  PlanAction,
  { type: 'set-join-rules' | 'link-child' | 'link-parent' | 'unlink' }
>;

/**
 * The state event a join-rules or Space-link action writes: the room it goes in (an alias, or for
 * `unlink` possibly an ID the resolver passes through) and the event. The executor sends it; the
 * test simulation applies it to a snapshot.
 */
export function linkStateWrite(
  a: LinkAction,
  resolve: AliasResolver,
  serverName: string,
): { room: string; event: InitialStateEvent } {
  switch (a.type) {
    case 'set-join-rules':
      return {
        room: a.room,
        event: {
          type: 'm.room.join_rules',
          state_key: '',
          content: joinRulesContent(a.allow, resolve),
        },
      };
    case 'link-child':
      return {
        room: a.parent,
        event: {
          type: 'm.space.child',
          state_key: resolve(a.child),
          content: spaceChildContent(serverName),
        },
      };
    case 'link-parent':
      return {
        room: a.room,
        event: {
          type: 'm.space.parent',
          state_key: resolve(a.parent),
          content: spaceParentContent(serverName),
        },
      };
    case 'unlink':
      return { room: a.room, event: { type: a.eventType, state_key: a.target, content: {} } };
  }
}

/**
 * The `POST /createRoom` body for a managed room. Everything except joins and the parent's child
 * link is set at creation, so a room never exists half-configured (not encrypted, say).
 *
 * @param opts.room - The desired room.
 * @param opts.serverName - For `via` lists.
 * @param opts.resolve - Resolves the parent and allowed Spaces, which are created first.
 * @param opts.invite - Users (existing accounts) to invite as part of the creation. Synapse persists
 *   `initial_state` as one batch with the room's other first events, so an invite there costs a
 *   fraction of a separate invite request; the user then joins by themselves.
 */
export function buildCreateRoomBody(opts: {
  room: DesiredRoom;
  serverName: string;
  resolve: AliasResolver;
  invite?: readonly string[];
}): Record<string, unknown> {
  const { room, serverName, resolve } = opts;
  const initialState: InitialStateEvent[] = [
    { type: 'm.room.encryption', state_key: '', content: { algorithm: MEGOLM_ALGORITHM } },
    {
      type: 'm.room.history_visibility',
      state_key: '',
      content: { history_visibility: MANAGED_HISTORY_VISIBILITY },
    },
    { type: 'm.room.join_rules', state_key: '', content: joinRulesContent(room.allow, resolve) },
  ];
  if (room.unit)
    initialState.push({ type: UNIT_STATE_EVENT, state_key: '', content: { ...room.unit } });
  if (room.roomState)
    initialState.push({
      type: UNIT_ROOM_STATE_EVENT,
      state_key: '',
      content: { ...room.roomState },
    });
  if (room.parent !== undefined)
    initialState.push({
      type: 'm.space.parent',
      state_key: resolve(room.parent),
      content: spaceParentContent(serverName),
    });
  for (const [userId, info] of room.memberInfo) {
    initialState.push({
      type: UNIT_MEMBER_STATE_EVENT,
      state_key: unitMemberStateKey(userId),
      content: { ...info },
    });
  }
  for (const userId of opts.invite ?? [])
    initialState.push({
      type: 'm.room.member',
      state_key: userId,
      content: { membership: 'invite' },
    });
  return {
    room_version: ROOM_VERSION,
    room_alias_name: room.alias,
    name: room.name,
    // Not `private_chat`: that preset lets guests in, so the room would need an
    // `m.room.guest_access` event to forbid them. `public_chat` sends none (a room without one is
    // closed to guests) and its public join rule is replaced by the one in `initial_state`: one
    // event less per room, the same rules.
    preset: 'public_chat',
    visibility: 'private',
    creation_content: room.kind === 'space' ? { type: 'm.space' } : {},
    power_level_content_override: room.powerLevels,
    initial_state: initialState,
  };
}
