import { describe, expect, it } from 'vitest';
import { roomSections } from './room-sections';
import type { RoomSummary } from '../store/rooms-slice';
import { roomSummary } from '../store/testing/room-summary';

const room = (roomId: string, extra: Partial<RoomSummary> = {}): RoomSummary =>
  roomSummary({ roomId, name: roomId, ...extra });

describe('roomSections', () => {
  it("puts the user's chats before fifteen notice rooms, keeping recency within each section", () => {
    const notices = Array.from({ length: 15 }, (_, i) => room(`!notice${i}`));
    const org = {
      roomsByUnit: Object.fromEntries(
        notices.map((n, i) => [
          `u${i}`,
          {
            noticeRoomId: n.roomId,
            ...(i === 0 ? { workRoomId: '!work0' } : {}),
            departments: i === 0 ? [{ roomId: '!dept0' }] : [],
          },
        ]),
      ),
    };
    // Recency order as the store gives it: notices newest.
    const rooms = [
      ...notices,
      room('!work0'),
      room('!dm', { isDirect: true }),
      room('!team'),
      room('!dept0'),
    ];
    const sections = roomSections(rooms, org);
    expect(sections.map((s) => [s.section, s.rooms.map((r) => r.roomId).slice(0, 2)])).toEqual([
      ['direct', ['!dm']],
      ['group', ['!team']],
      ['unit', ['!work0', '!dept0']],
      ['notice', ['!notice0', '!notice1']],
    ]);
    expect(sections.at(-1)?.rooms).toHaveLength(15);
  });

  it('leaves out empty sections, and works before the org is known', () => {
    expect(roomSections([room('!a')], null).map((s) => s.section)).toEqual(['group']);
  });
});
