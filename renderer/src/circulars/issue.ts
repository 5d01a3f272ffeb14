/**
 * Issuing a circular: from the issuer's draft and the org view to the stored fan-out record that
 * a {@link FanOutRunner} sends. Nothing is sent before the record is saved, so a crash right after
 * "send" still resumes.
 */
import { roomCreatorOf } from '../matrix/room-creator';
import type { MatrixClient } from 'matrix-js-sdk';
import { buildCircularContent } from '../../../shared/circular/circular-content';
import {
  countFanOut,
  residentsTargetCodes,
  residentsTargetErrors,
  resolveTargets,
  type FanOutCounts,
} from '../../../shared/circular/targeting';
import { planFanOut, type FanOutPlan } from '../../../shared/circular/fan-out';
import type { ParseError, ParseResult } from '../../../shared/circular/parse-result';
import type {
  Circular,
  CircularAttachment,
  CircularTarget,
  IssuingUnit,
  Urgency,
} from '../../../shared/circular/types';
import { buildUnitIndex } from '../../../shared/circular/unit-index';
import type { OrgView } from '../../../shared/org/org-view';
import { uploadEncryptedAttachment } from '../matrix/attachments';
import type { AttachmentInput } from '../store/outbox-item';
import type { FanOutRecord, FanOutStore } from './fan-out-store';
import type { CircularContent } from '../../../shared/circular/circular-content';

/** What the issuer filled in. */
export interface CircularDraft {
  title: string;
  docNumber?: string;
  issuingUnit: IssuingUnit;
  urgency: Urgency;
  ackRequired: boolean;
  ackDeadline?: number;
  noForward: boolean;
  body: string;
  targets: CircularTarget[];
  /** Already uploaded (see {@link uploadCircularAttachment}). */
  attachments: CircularAttachment[];
  /** Mention the whole room so every member is notified. */
  notifyRoom?: boolean;
}

/** A draft checked against the org: what will be sent where, and to how many people. */
export interface PreparedCircular {
  circular: Circular;
  content: CircularContent;
  plan: FanOutPlan;
  counts: FanOutCounts;
}

/** The draft cannot be sent as it stands; `errors` name every problem. */
export class DraftError extends Error {
  constructor(readonly errors: readonly ParseError[]) {
    super(
      `the circular cannot be sent: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`,
    );
    this.name = 'DraftError';
  }
}

/** The joined members of a room right now (loading the member list if the sync lazy-loaded it). */
async function joinedMembers(client: MatrixClient, roomId: string): Promise<string[] | undefined> {
  const room = client.getRoom(roomId);
  if (!room) return undefined;
  await room.loadMembersIfNeeded();
  return room.getJoinedMembers().map((m) => m.userId);
}

/** Counts units and recipients of a plan from the rooms' current members (minus sender and service accounts). */
async function countPlan(client: MatrixClient, plan: FanOutPlan): Promise<FanOutCounts> {
  const rooms = plan.entries.map((e) => ({ unitCode: e.unitCode, roomId: e.roomId }));
  const membersOf = new Map<string, string[]>();
  const excluded = new Set<string>();
  await Promise.all(
    rooms.map(async ({ roomId }) => {
      const members = await joinedMembers(client, roomId);
      if (members) membersOf.set(roomId, members);
      const creator = roomCreatorOf(client.getRoom(roomId));
      if (creator) excluded.add(creator);
    }),
  );
  return countFanOut({
    rooms,
    membersOf,
    senderId: client.getSafeUserId(),
    excludedUserIds: excluded,
  });
}

/**
 * The fan-out plan of a selection: the units' staff notice rooms, then the residents' notice rooms
 * of the communities targeted with scope `residents`.
 */
function planTargets(
  org: OrgView,
  targets: readonly CircularTarget[],
  circularId: string,
): ParseResult<'plan', FanOutPlan> {
  const resolved = resolveTargets(buildUnitIndex(org.units), targets);
  if (!resolved.ok) return resolved;
  const noticeRoomOf = new Map<string, string>();
  const residentsRoomOf = new Map<string, string>();
  for (const [code, rooms] of Object.entries(org.roomsByUnit)) {
    if (rooms.noticeRoomId) noticeRoomOf.set(code, rooms.noticeRoomId);
    if (rooms.residentsNoticeRoomId) residentsRoomOf.set(code, rooms.residentsNoticeRoomId);
  }
  return planFanOut({
    circularId,
    unitCodes: resolved.unitCodes,
    noticeRoomOf,
    residentsUnitCodes: residentsTargetCodes(targets),
    residentsRoomOf,
  });
}

/**
 * What a selection of targets reaches, before anything is written: units and recipients, or the
 * problems (unknown unit, a unit without notice room, a level with no units).
 */
export async function previewTargets(params: {
  client: MatrixClient;
  org: OrgView;
  targets: readonly CircularTarget[];
}): Promise<{ ok: true; counts: FanOutCounts } | { ok: false; errors: ParseError[] }> {
  const planned = planTargets(
    params.org,
    params.targets,
    // Any valid id will do: the plan is only counted, never sent.
    '00000000-0000-4000-8000-000000000000',
  );
  if (!planned.ok) return planned;
  return { ok: true, counts: await countPlan(params.client, planned.plan) };
}

/** Parameters of {@link prepareCircular}. */
export interface PrepareCircularParams {
  client: MatrixClient;
  org: OrgView;
  draft: CircularDraft;
  /** Default: a new random UUID. */
  circularId?: string;
  /** Issue time, ms (default now). */
  now?: number;
}

/**
 * Checks the draft, expands its targets, plans one copy per target notice room and counts the
 * recipients from the rooms' current members. Sends nothing.
 *
 * @throws {DraftError} for invalid content, unknown targets or units without a notice room.
 * @throws {ContentInputError} (from `buildCircularContent`) is wrapped into DraftError too.
 */
export async function prepareCircular(params: PrepareCircularParams): Promise<PreparedCircular> {
  const { client, org, draft } = params;
  const circularId = params.circularId ?? crypto.randomUUID();
  const planned = planTargets(org, draft.targets, circularId);
  if (!planned.ok) throw new DraftError(planned.errors);
  const residentsErrors = residentsTargetErrors(draft.targets, draft.issuingUnit.code);
  if (residentsErrors.length > 0) throw new DraftError(residentsErrors);
  const circular: Circular = {
    id: circularId,
    title: draft.title,
    ...(draft.docNumber?.trim() ? { docNumber: draft.docNumber.trim() } : {}),
    issuingUnit: draft.issuingUnit,
    urgency: draft.urgency,
    issuedAt: params.now ?? Date.now(),
    ...(draft.ackRequired && draft.ackDeadline !== undefined
      ? { ackDeadline: draft.ackDeadline }
      : {}),
    ackRequired: draft.ackRequired,
    attachments: draft.attachments,
    targets: draft.targets,
    noForward: draft.noForward,
    body: draft.body,
  };
  let content: CircularContent;
  try {
    content = buildCircularContent({ circular, notifyRoom: draft.notifyRoom === true });
  } catch (err) {
    const errors = (err as { errors?: ParseError[] }).errors;
    throw errors ? new DraftError(errors) : err;
  }
  const counts = await countPlan(client, planned.plan);
  return { circular, content, plan: planned.plan, counts };
}

/** Saves the fan-out record of a prepared circular; run it with a `FanOutRunner` afterwards. */
export async function saveFanOut(params: {
  store: FanOutStore;
  prepared: PreparedCircular;
  senderId: string;
  now?: number;
}): Promise<FanOutRecord> {
  const record: FanOutRecord = {
    plan: params.prepared.plan,
    content: params.prepared.content,
    createdAt: params.now ?? Date.now(),
    senderId: params.senderId,
  };
  await params.store.put(record);
  return record;
}

/** Encrypts and uploads one attachment (the chat's encryption and upload) and describes it for the circular. */
export async function uploadCircularAttachment(params: {
  client: MatrixClient;
  file: AttachmentInput;
  onProgress?: (loaded: number, total: number) => void;
}): Promise<CircularAttachment> {
  const content = await uploadEncryptedAttachment({
    client: params.client,
    // Circular attachments are documents: no thumbnails, whatever their type.
    file: { data: params.file.data, name: params.file.name, mimeType: params.file.mimeType },
    ...(params.onProgress ? { onProgress: params.onProgress } : {}),
  });
  return {
    name: params.file.name,
    mimetype: params.file.mimeType || 'application/octet-stream',
    size: params.file.data.byteLength,
    file: content.file,
  };
}
