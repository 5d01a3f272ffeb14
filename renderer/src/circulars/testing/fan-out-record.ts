import { buildCircularContent } from '../../../../shared/circular/circular-content';
import { planFanOut, type FanOutPlan } from '../../../../shared/circular/fan-out';
import type { FanOutRecord } from '../fan-out-store';

/** The circular id of {@link testFanOutRecord}. */
export const TEST_CIRCULAR_ID = '0b6f3c2e-8d4a-4f7e-9a51-2c3d4e5f6a7b';

/** A fan-out plan of the test circular to the given unit codes, each with notice room `!<code>:s`. */
export function testFanOutPlan(unitCodes: string[], server = 's'): FanOutPlan {
  const planned = planFanOut({
    circularId: TEST_CIRCULAR_ID,
    unitCodes,
    noticeRoomOf: new Map(unitCodes.map((c) => [c, `!${c}:${server}`])),
  });
  if (!planned.ok) throw new Error('the test fan-out does not plan');
  return planned.plan;
}

/** A stored fan-out of a small circular (通知 / 正文 from 省政府), nothing sent yet. */
export function testFanOutRecord(params: {
  unitCodes: string[];
  senderId: string;
  server?: string;
}): FanOutRecord {
  const content = buildCircularContent({
    circular: {
      id: TEST_CIRCULAR_ID,
      title: '通知',
      issuingUnit: { code: 'p', name: '省政府' },
      urgency: 'normal',
      issuedAt: 1,
      ackRequired: false,
      attachments: [],
      targets: [{ unitCode: 'p', scope: 'subtree' }],
      noForward: false,
      body: '正文',
    },
  });
  return {
    plan: testFanOutPlan(params.unitCodes, params.server),
    content,
    createdAt: 1,
    senderId: params.senderId,
  };
}
