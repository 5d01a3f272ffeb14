import type { MatrixClient } from 'matrix-js-sdk';
import { buildCircularContent } from '../../../../shared/circular/circular-content';
import { sampleCircular } from '../../../../shared/circular/test-fixtures';
import type { Circular } from '../../../../shared/circular/types';
import { waitForClient } from '../../matrix/wait-for';
import { sendRawEvent } from '../send-raw';

/**
 * Sends a well-formed circular from any member's client, encrypted as the app sends it, the way
 * an attacker with an ordinary client would: the trust tests check the receivers' verdict on it.
 */
export async function sendLookAlike(
  from: { client: MatrixClient },
  roomId: string,
  over: Partial<Circular>,
): Promise<Circular> {
  await waitForClient(from.client, `encryption of ${roomId}`, () =>
    from.client.getRoom(roomId)?.hasEncryptionStateEvent() ? true : undefined,
  );
  const circular = sampleCircular({
    id: crypto.randomUUID(),
    attachments: [],
    issuedAt: Date.now(),
    ackDeadline: Date.now() + 86_400_000,
    ...over,
  });
  await sendRawEvent({
    client: from.client,
    roomId,
    eventType: 'm.room.message',
    content: buildCircularContent({ circular }),
  });
  return circular;
}
