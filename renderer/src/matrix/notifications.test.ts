import { describe, expect, it } from 'vitest';
import { shouldNotify, type NotificationFacts } from './notifications';

const base: NotificationFacts = {
  muted: false,
  openAndVisible: false,
  isDirect: false,
  notify: true,
  highlight: false,
};

describe('shouldNotify', () => {
  it('notifies for direct messages and for mentions elsewhere', () => {
    expect(shouldNotify({ ...base, isDirect: true })).toBe(true);
    expect(shouldNotify({ ...base, highlight: true })).toBe(true);
    expect(shouldNotify(base)).toBe(false);
  });
  it('stays quiet in muted rooms, in the room being read, and when push rules say no', () => {
    expect(shouldNotify({ ...base, isDirect: true, muted: true })).toBe(false);
    expect(shouldNotify({ ...base, isDirect: true, openAndVisible: true })).toBe(false);
    expect(shouldNotify({ ...base, isDirect: true, notify: false })).toBe(false);
  });
});
