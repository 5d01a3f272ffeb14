/**
 * Domain types of circulars (通知/公文) and acknowledgments (签收). These are the runtime models the
 * app works with; the wire format (event content) is built and parsed in `circular-content.ts`,
 * `ack.ts` and `reminder.ts`.
 */
import type { UnitLevel } from '../org/types';

/** Urgency grades, lowest first: 普通, 加急, 特急. */
export const URGENCIES = ['normal', 'urgent', 'extra_urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Chinese labels of urgency grades, as printed on official documents. */
export const URGENCY_LABELS_ZH: Readonly<Record<Urgency, string>> = {
  normal: '普通',
  urgent: '加急',
  extra_urgent: '特急',
};

/** English labels of urgency grades. */
export const URGENCY_LABELS_EN: Readonly<Record<Urgency, string>> = {
  normal: 'Normal',
  urgent: 'Urgent',
  extra_urgent: 'Extra urgent',
};

/**
 * How a target unit code is expanded: the unit alone, its whole subtree, or one level within its
 * subtree (all into units' staff notice rooms), or `residents`: the community's residents' notice
 * room (群众通知), whose readers are its residents.
 */
export const TARGET_SCOPES = ['unit', 'subtree', 'level', 'residents'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

/** One target as the issuer chose it (before expansion into unit codes). */
export interface CircularTarget {
  /** Code of the unit the target is anchored at. */
  unitCode: string;
  /**
   * `unit`: that unit; `subtree`: it and every unit below; `level`: the units of `level` within its
   * subtree; `residents`: that community's residents' notice room.
   */
  scope: TargetScope;
  /** Required when `scope` is `level`, e.g. `county` for "all counties under city X". */
  level?: UnitLevel;
}

/** The symmetric key of an encrypted attachment, as a JSON Web Key (Matrix spec, `EncryptedFile.key`). */
export interface AttachmentKey {
  kty: 'oct';
  key_ops: string[];
  alg: 'A256CTR';
  /** The key, unpadded base64url. */
  k: string;
  ext: true;
}

/** An encrypted file in the media repository (Matrix spec `EncryptedFile`, version 2). */
export interface EncryptedFile {
  /** `mxc://` URI of the ciphertext. */
  url: string;
  key: AttachmentKey;
  /** Initialisation vector, unpadded base64. */
  iv: string;
  /** At least `sha256` of the ciphertext, unpadded base64. */
  hashes: { sha256: string } & Record<string, string>;
  v: 'v2';
}

/** One attachment of a circular (policy document, form template, …). */
export interface CircularAttachment {
  /** File name shown to readers, e.g. `关于做好防汛工作的通知.pdf`. */
  name: string;
  mimetype: string;
  /** Plaintext size in bytes. */
  size: number;
  file: EncryptedFile;
}

/** The issuing unit as printed on the circular. */
export interface IssuingUnit {
  code: string;
  name: string;
}

/** A circular, as carried under the `cn.hongyan.circular` key of its event content. */
export interface Circular {
  /** Shared by every copy of one fan-out (UUID or ULID). */
  id: string;
  title: string;
  /** Document number (文号), e.g. `示府办〔2025〕12号`; absent for notices that have none. */
  docNumber?: string;
  issuingUnit: IssuingUnit;
  urgency: Urgency;
  /** Issue time, ms since the epoch. */
  issuedAt: number;
  /** Acknowledgment deadline, ms since the epoch; only with `ackRequired`. */
  ackDeadline?: number;
  /** Whether recipients must acknowledge (签收). */
  ackRequired: boolean;
  attachments: CircularAttachment[];
  /** The targets as the issuer chose them (not the expanded unit list). */
  targets: CircularTarget[];
  /** The issuer asked that the circular not be forwarded; clients hide forwarding. */
  noForward: boolean;
  /** The text of the circular, plain text; blank lines separate paragraphs. */
  body: string;
}

/** An acknowledgment, as carried by a `cn.hongyan.ack` event. */
export interface Ack {
  /** Id of the circular acknowledged; must match the referenced event's circular. */
  circularId: string;
  /** Event id of the circular copy this acknowledgment references (`m.reference`). */
  eventId: string;
  /**
   * `circularDigest` of the decrypted circular: binds the ack to the content. Always sent; a
   * received ack without it parses but never counts.
   */
  contentSha256?: string;
  /** Optional reply note (回执). */
  note?: string;
}
