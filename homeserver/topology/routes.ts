/**
 * Which client endpoints nginx sends to the generic workers, following the endpoint list of
 * Synapse's worker documentation (docs/workers.md, `synapse.app.generic_worker`). Everything not
 * listed stays on the main process: media, the admin API, pagination (`/messages` must not be
 * spread over workers by user), push rules and account-data writes, receipts, typing and
 * to-device messages (their streams are written by the main process).
 */

/** /sync and its legacy siblings: routed by user, so one user's long-polls hit one worker's caches. */
export const SYNC_ROUTES: readonly string[] = [
  '^/_matrix/client/(r0|v3)/sync$',
  '^/_matrix/client/(api/v1|r0|v3)/(events|initialSync)$',
  '^/_matrix/client/(api/v1|r0|v3)/rooms/[^/]+/initialSync$',
];

/** Client reads and writes any generic worker can serve (round robin by least connections). */
export const GENERIC_CLIENT_ROUTES: readonly string[] = [
  // Room reads
  '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/[^/]+/(joined_members|members|state|context/.*|event/.*|aliases)$',
  '^/_matrix/client/v1/rooms/[^/]+/(hierarchy|threads|timestamp_to_event)$',
  '^/_matrix/client/(v1|unstable)/rooms/[^/]+/relations/',
  '^/_matrix/client/v1/room_summary/',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/(joined_rooms|createRoom|publicRooms|search)$',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/directory/room/',
  '^/_matrix/client/(r0|v3|unstable)/(capabilities|notifications|password_policy)$',
  '^/_matrix/client/versions$',
  // Account and devices
  '^/_matrix/client/(r0|v3|unstable)/account/(whoami|3pid|deactivate)$',
  '^/_matrix/client/(r0|v3)/delete_devices$',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/devices(/|$)',
  '^/_matrix/client/(r0|v3|unstable)/user/[^/]+/filter(/|$)',
  // End-to-end encryption keys and key backup
  '^/_matrix/client/(r0|v3|unstable)/keys/(query|changes|claim|upload)',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/keys/(device_signing|signatures)/upload$',
  '^/_matrix/client/(r0|v3|unstable)/room_keys/',
  // Login (registration is off; the admin registers users through the admin API on main)
  '^/_matrix/client/(api/v1|r0|v3|unstable)/login$',
  // Event sending and membership
  '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/[^/]+/(send|state|redact)/',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/rooms/[^/]+/(join|invite|leave|ban|unban|kick)$',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/(join|knock)/',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/profile/',
  '^/_matrix/client/(r0|v3|unstable)/user_directory/search$',
];

/** Federation endpoints a generic worker serves (only with a federation allow-list). */
export const GENERIC_FEDERATION_ROUTES: readonly string[] = [
  '^/_matrix/federation/v1/(version|event/|state/|state_ids/|backfill/|get_missing_events/|query/|make_join/|make_leave/|event_auth/|user/devices/|hierarchy/)',
  '^/_matrix/federation/(v1|v2)/(send_join|send_leave|invite)/',
  '^/_matrix/key/v2/query',
];

/** Inbound federation transactions: one remote server always to the same worker. */
export const FEDERATION_INBOUND_ROUTE = '^/_matrix/federation/v1/send/';
