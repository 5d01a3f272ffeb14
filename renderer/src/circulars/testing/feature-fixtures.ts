/** Plain-data fixtures for the fast unit tests of the circulars modules (no SDK, no Node). */
import type { RecipientStatus } from '../../../../shared/circular/aggregate';
import { buildCircularContent } from '../../../../shared/circular/circular-content';
import { markSent, planFanOut } from '../../../../shared/circular/fan-out';
import { sampleCircular, SAMPLE_CIRCULAR_ID } from '../../../../shared/circular/test-fixtures';
import type { FanOutRecord } from '../fan-out-store';

export { sampleCircular, SAMPLE_CIRCULAR_ID };

/** A fan-out record of the sample circular over rooms `!a:s` and `!b:s`; `sentA` marks `!a:s` sent. */
export function sampleRecord(options: { sentA?: boolean; senderId?: string } = {}): FanOutRecord {
  const planned = planFanOut({
    circularId: SAMPLE_CIRCULAR_ID,
    unitCodes: ['a', 'b'],
    noticeRoomOf: new Map([
      ['a', '!a:s'],
      ['b', '!b:s'],
    ]),
  });
  if (!planned.ok) throw new Error('the sample plan is invalid');
  return {
    plan: options.sentA ? markSent(planned.plan, '!a:s', '$a', 2) : planned.plan,
    content: buildCircularContent({ circular: sampleCircular() }),
    createdAt: 1,
    senderId: options.senderId ?? '@issuer:s',
  };
}

/** A recipient status with defaults (unread, on time, still in the room). */
export function recipient(over: Partial<RecipientStatus> & { userId: string }): RecipientStatus {
  return {
    roomId: '!a:s',
    unitCode: 'a',
    status: 'unread',
    overdue: false,
    leftAfterSend: false,
    ...over,
  };
}
