import { MatrixScheduler, type MatrixEvent } from 'matrix-js-sdk';

/**
 * The SDK's default scheduler puts every message of every room into one queue, so a client sends
 * one message at a time, whatever the rooms. Order matters only within a room (a conversation
 * reads top to bottom); a circular fanned out to 144 notice rooms, or messages queued for several
 * rooms, need not wait for each other. Same queueing and retry rules as the SDK's, one queue per room.
 */
export function perRoomQueue(event: MatrixEvent): string | null {
  const queue = MatrixScheduler.QUEUE_MESSAGES(event);
  return queue === null ? null : `${queue} ${event.getRoomId() ?? ''}`;
}

/** A scheduler that sends rooms in parallel and each room's messages in order. */
export function createPerRoomScheduler(): MatrixScheduler {
  return new MatrixScheduler(MatrixScheduler.RETRY_BACKOFF_RATELIMIT, perRoomQueue);
}
