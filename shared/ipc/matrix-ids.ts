/**
 * Strict shape checks for Matrix identifiers that cross the IPC boundary or arrive in deep links.
 * They are deliberately narrower than the spec's "opaque" grammar: printable ASCII without separators
 * that could smuggle a path, query or markup, and a bounded length.
 */

// Opaque part: base64url/base64 alphabet plus the few punctuation marks Synapse uses.
const OPAQUE = '[A-Za-z0-9._~+\\-=/]{1,200}';
// Optional `:server` part of pre-v12 room IDs and v1/v2 event IDs: DNS name or IP literal, optional port.
const SERVER = '(?::(?:[A-Za-z0-9.-]{1,230}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::\\d{1,5})?)?';

const ROOM_ID = new RegExp(`^!${OPAQUE}${SERVER}$`);
const EVENT_ID = new RegExp(`^\\$${OPAQUE}${SERVER}$`);

/** Maximum length of any Matrix identifier (the spec's limit). */
export const MAX_MATRIX_ID_LENGTH = 255;

/** True for a well-formed room ID such as `!abc:example.org` (or a room-v12 `!hash`). */
export function isRoomId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_MATRIX_ID_LENGTH && ROOM_ID.test(value);
}

/** True for a well-formed event ID such as `$abc` (or `$abc:example.org` in old room versions). */
export function isEventId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_MATRIX_ID_LENGTH && EVENT_ID.test(value);
}
