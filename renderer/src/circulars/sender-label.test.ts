import { describe, expect, it } from 'vitest';
import type { Room } from 'matrix-js-sdk';
import { roomMemberName, senderLabel } from './sender-label';

const ID = '@zhao.zhenhua:hongyan.test';

function roomWith(members: Record<string, string | undefined>): Room {
  return {
    getMember: (id: string) => (id in members ? { rawDisplayName: members[id] ?? id } : null),
  } as unknown as Room;
}

describe('roomMemberName', () => {
  it('reads the displayname of the member event in the room', () => {
    expect(roomMemberName(roomWith({ [ID]: '赵振华' }), ID)).toBe('赵振华');
  });
  it('is absent without a member event, a displayname, or with the ID as the name', () => {
    expect(roomMemberName(roomWith({}), ID)).toBeUndefined();
    expect(roomMemberName(roomWith({ [ID]: undefined }), ID)).toBeUndefined();
    expect(roomMemberName(roomWith({ [ID]: '  ' }), ID)).toBeUndefined();
  });
});

describe('senderLabel', () => {
  it('a resident, without the directory, sees the name from the room and the community', () => {
    expect(senderLabel({ senderId: ID, roomName: '赵振华', unitName: '桃花村' })).toBe(
      '赵振华 · 桃花村',
    );
  });
  it('staff see the directory name with the Matrix ID, as before', () => {
    expect(
      senderLabel({ senderId: ID, directoryName: '赵振华', roomName: '老赵', unitName: '桃花村' }),
    ).toBe(`赵振华（${ID}）`);
  });
  it('a circular not trusted keeps the ID beside the name it claims', () => {
    expect(senderLabel({ senderId: ID, roomName: '赵振华' })).toBe(`赵振华（${ID}）`);
  });
  it('the bare ID only when no name is known', () => {
    expect(senderLabel({ senderId: ID, unitName: '桃花村' })).toBe(ID);
  });
});
