/**
 * The project's custom Matrix identifiers. One reverse-DNS namespace for every custom type,
 * so any Hongyan-specific event is recognisable at a glance and never collides with others.
 */
export const HONGYAN_NS = 'cn.hongyan';

/** State event on an org-unit Space carrying the unit's metadata (code, name, level, parent). */
export const UNIT_STATE_EVENT = `${HONGYAN_NS}.unit`;
/** State event on a unit room saying which role the room plays for its unit (notice, work, department). */
export const UNIT_ROOM_STATE_EVENT = `${HONGYAN_NS}.unit_room`;
/** `msgtype` of an `m.room.message` that carries a circular (通知/公文). */
export const CIRCULAR_MSGTYPE = `${HONGYAN_NS}.circular`;
/** Event type of an acknowledgment (签收), related to its circular by `m.reference`. */
export const ACK_EVENT = `${HONGYAN_NS}.ack`;
/** Event type of a reminder (催办) record. */
export const REMINDER_MSGTYPE = `${HONGYAN_NS}.reminder`;
/**
 * State event in a unit Space recording one user's place in the unit: roles and position (职务).
 * The state key is `user:<mxid>`; a key may not start with `@` unless it is the sender's own ID.
 * Empty content means the user no longer belongs to the unit.
 */
export const UNIT_MEMBER_STATE_EVENT = `${HONGYAN_NS}.unit_member`;
/**
 * State event a unit admin sends in their unit Space to ask the org agent for a change (add a user,
 * move, deactivate, roles, sub-unit, department room). The state key is the request id. Space power
 * levels list this type at the unit admins' level (90), below the 100 every other state event needs,
 * so the server itself refuses it from anyone else and refuses unit admins any other state.
 */
export const ADMIN_REQUEST_EVENT = `${HONGYAN_NS}.admin_request`;
/** State event the org agent writes with the outcome of a request; same state key as the request. */
export const ADMIN_RESULT_EVENT = `${HONGYAN_NS}.admin_result`;
/** State event (key '') in unit Spaces carrying the org agent's public key for sealing initial passwords. */
export const ADMIN_AGENT_EVENT = `${HONGYAN_NS}.admin_agent`;
/**
 * To-device event a client sends to the org agent's account when its user issues a circular,
 * sends a 催办 round, exports an ack report or signs in (see shared/audit/audit-report.ts); the
 * agent records it in the audit log with the Matrix sender as the actor.
 */
export const AUDIT_REPORT_EVENT = `${HONGYAN_NS}.audit_report`;
/**
 * State event a grid worker or unit admin sends in their unit Space to ask the org agent for a
 * residents' invitation, or to revoke one (docs/mobile-and-residents.md). The state key is the
 * request id; the agent answers with `cn.hongyan.admin_result` under the same key. Space power levels
 * list it at the grid workers' level, so plain members cannot send it.
 */
export const INVITE_REQUEST_EVENT = `${HONGYAN_NS}.invite_request`;
/**
 * State event the org agent keeps in a community's Space for each residents' invitation (state key:
 * the invitation id): the token the link carries, its limits and how many residents joined with it.
 */
export const RESIDENT_INVITE_EVENT = `${HONGYAN_NS}.resident_invite`;
/**
 * To-device event a resident's client sends to the org agent after registering or signing in with an
 * invitation: it carries the invitation's token, which the agent checks before placing the sender in
 * that community's residents' rooms; the agent answers with {@link RESIDENT_JOIN_RESULT_EVENT}.
 */
export const RESIDENT_JOIN_EVENT = `${HONGYAN_NS}.resident_join`;
/** To-device answer of the org agent to a {@link RESIDENT_JOIN_EVENT}. */
export const RESIDENT_JOIN_RESULT_EVENT = `${HONGYAN_NS}.resident_join_result`;
