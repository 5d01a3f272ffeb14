/**
 * The homeserver's security policy as Synapse settings: the values the kit always writes (room
 * version, upload and media limits, token lifetimes, password rules, rate limits) and the table of
 * hardened settings each must keep, which the unit tests check and `start` warns about when a
 * `conf.d` override changes one. The config builder assembles homeserver.yaml from them.
 */

/** Synapse's `{per_second, burst_count}` rate-limit setting. */
export interface RateLimit {
  per_second: number;
  burst_count: number;
}

/** Room version for new rooms: restricted joins need ≥ 8; 11 is the newest widely supported one. */
export const DEFAULT_ROOM_VERSION = '11';

/** Largest upload accepted: official documents with scans, well above Synapse's 50M default. */
export const MAX_UPLOAD_SIZE = '100M';

/**
 * Access tokens of clients that ask for a refresh token (the app does) expire after this long; the
 * client then trades its refresh token for a new pair. A token copied out of a device is thus good
 * for an hour at most. Tokens issued without a refresh token (the admin CLI, the org agent, bots)
 * do not expire: `nonrefreshable_access_token_lifetime` stays unset.
 */
export const REFRESHABLE_ACCESS_TOKEN_LIFETIME = '1h';

/**
 * A refresh token unused this long is refused and the device must sign in again: a device left
 * switched off for a month is signed out. Each refresh issues a new refresh token with a new term.
 */
export const REFRESH_TOKEN_LIFETIME = '30d';

/**
 * Password rules for passwords people choose (`/account/password`; Synapse checks them before the
 * change). The app's password form states the same rules (account.password.policy).
 */
export const PASSWORD_POLICY = {
  enabled: true,
  minimum_length: 10,
  require_digit: true,
  require_symbol: false,
  require_lowercase: true,
  require_uppercase: true,
} as const;

/**
 * Upload quota per person: a day's scans of official documents fit many times over; a runaway
 * client or a stolen session cannot fill the media store.
 */
export const MEDIA_UPLOAD_LIMITS = [
  { time_period: '1h', max_size: '1G' },
  { time_period: '1d', max_size: '4G' },
];

/**
 * Media retention. Local media are the org's records (circular attachments, chat files) and are
 * kept; copies cached from federated servers are dropped after 90 days unless fetched again.
 */
export const MEDIA_RETENTION = { remote_media_lifetime: '90d' };

/**
 * Everyday rate limits. They stay close to Synapse's defaults, except where a government office
 * behind one NAT address would trip them: logins per address (a whole office signs in at 9:00)
 * and room joins/invites (provisioning a unit adds many members at once). Issuers who fan a
 * circular out to hundreds of rooms get a per-user override through the admin API
 * (`/_synapse/admin/v1/users/<user_id>/override_ratelimit`) rather than a global raise.
 */
export const DEFAULT_RATE_LIMITS: Readonly<
  Record<`rc_${string}`, RateLimit | Record<string, RateLimit>>
> = {
  rc_message: { per_second: 0.5, burst_count: 30 },
  rc_registration: { per_second: 0.17, burst_count: 3 },
  rc_login: {
    address: { per_second: 0.5, burst_count: 50 },
    account: { per_second: 0.05, burst_count: 10 },
    failed_attempts: { per_second: 0.05, burst_count: 5 },
  },
  rc_joins: {
    local: { per_second: 0.5, burst_count: 30 },
    remote: { per_second: 0.05, burst_count: 10 },
  },
  rc_joins_per_room: { per_second: 1, burst_count: 30 },
  rc_invites: {
    per_room: { per_second: 0.5, burst_count: 30 },
    per_user: { per_second: 0.05, burst_count: 10 },
    per_issuer: { per_second: 0.5, burst_count: 30 },
  },
  rc_room_creation: { per_second: 0.05, burst_count: 20 },
  rc_admin_redaction: { per_second: 1, burst_count: 50 },
  rc_media_create: { per_second: 10, burst_count: 50 },
};

const RELAXED: RateLimit = { per_second: 10_000, burst_count: 100_000 };

/**
 * Rate limits for tests and benchmarks only: every configurable limit raised so a benchmark
 * measures the server's work, not its throttling.
 */
export const RELAXED_RATE_LIMITS: Readonly<
  Record<`rc_${string}`, RateLimit | Record<string, RateLimit>>
> = {
  rc_message: RELAXED,
  rc_registration: RELAXED,
  rc_registration_token_validity: RELAXED,
  rc_login: { address: RELAXED, account: RELAXED, failed_attempts: RELAXED },
  rc_joins: { local: RELAXED, remote: RELAXED },
  rc_joins_per_room: RELAXED,
  rc_invites: { per_room: RELAXED, per_user: RELAXED, per_issuer: RELAXED },
  rc_third_party_invite: RELAXED,
  rc_room_creation: RELAXED,
  rc_admin_redaction: RELAXED,
  rc_media_create: RELAXED,
  rc_key_requests: RELAXED,
  rc_3pid_validation: RELAXED,
  rc_presence: { per_user: RELAXED },
  rc_delayed_event_mgmt: RELAXED,
  rc_reports: RELAXED,
  rc_user_directory: RELAXED,
  rc_profile: RELAXED,
};

/** The hardened settings' types: the config builder's output type extends it. */
export interface HardenedSettings {
  enable_registration: true;
  registration_requires_token: true;
  enable_registration_without_verification: false;
  allow_guest_access: false;
  encryption_enabled_by_default_for_room_type: 'all';
  default_room_version: string;
  presence: { enabled: false };
  limit_profile_requests_to_users_who_share_rooms: true;
  require_auth_for_profile_requests: true;
  user_directory: { enabled: true; search_all_users: false; prefer_local_users: true };
  url_preview_enabled: false;
  allow_public_rooms_over_federation: false;
  allow_public_rooms_without_auth: false;
  trusted_key_servers: [];
  report_stats: false;
  enable_metrics: false;
  password_config: { policy: object };
  media_upload_limits: { time_period: string; max_size: string }[];
  media_retention: { remote_media_lifetime: string };
  refreshable_access_token_lifetime: string;
  refresh_token_lifetime: string;
  push: { include_content: false };
}

/**
 * The hardened settings and the value each must keep. The config builder writes them all; the unit
 * tests check its output against this table, and `start` warns when a `conf.d` override changes
 * one of them.
 */
export const HARDENED_SYNAPSE_SETTINGS: Readonly<HardenedSettings> = {
  // Registration is open only to holders of a registration token: residents' invitations, which the
  // org agent issues and limits (docs/mobile-and-residents.md). Staff accounts are provisioned.
  enable_registration: true,
  registration_requires_token: true,
  enable_registration_without_verification: false,
  allow_guest_access: false,
  encryption_enabled_by_default_for_room_type: 'all',
  default_room_version: DEFAULT_ROOM_VERSION,
  presence: { enabled: false },
  limit_profile_requests_to_users_who_share_rooms: true,
  require_auth_for_profile_requests: true,
  user_directory: { enabled: true, search_all_users: false, prefer_local_users: true },
  url_preview_enabled: false,
  allow_public_rooms_over_federation: false,
  allow_public_rooms_without_auth: false,
  // No notary: keys of allowed servers are fetched from those servers, never from matrix.org.
  trusted_key_servers: [],
  report_stats: false,
  enable_metrics: false,
  password_config: { policy: PASSWORD_POLICY },
  media_upload_limits: MEDIA_UPLOAD_LIMITS,
  media_retention: MEDIA_RETENTION,
  refreshable_access_token_lifetime: REFRESHABLE_ACCESS_TOKEN_LIFETIME,
  refresh_token_lifetime: REFRESH_TOKEN_LIFETIME,
  // Notifications through a push gateway carry only event and room IDs, never content or names.
  push: { include_content: false },
};

/** {@link HARDENED_SYNAPSE_SETTINGS} as a table to look settings up by name. */
export const HARDENED_SETTINGS: Readonly<Record<string, unknown>> = HARDENED_SYNAPSE_SETTINGS;
