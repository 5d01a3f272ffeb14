import type { RoomSummary } from '../rooms-slice';

/** A joined, encrypted group room's summary for tests; `over` sets what the test is about. */
export const roomSummary = (over: Partial<RoomSummary>): RoomSummary => ({
  roomId: '!a:hongyan.test',
  name: '办公室',
  unread: 0,
  highlights: 0,
  lastActivity: 1,
  encrypted: true,
  isSpace: false,
  isDirect: false,
  ...over,
});
