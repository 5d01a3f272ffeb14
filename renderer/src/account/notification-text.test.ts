import { describe, expect, it } from 'vitest';
import {
  notificationBody,
  notificationTextHidden,
  setNotificationTextHidden,
} from './notification-text';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('notification text option', () => {
  it('shows the text by default and remembers the choice to hide it', () => {
    const storage = memoryStorage();
    expect(notificationTextHidden(storage)).toBe(false);
    setNotificationTextHidden(storage, true);
    expect(notificationTextHidden(storage)).toBe(true);
    setNotificationTextHidden(storage, false);
    expect(notificationTextHidden(storage)).toBe(false);
  });

  it('replaces the text when the user or the deployment hides it', () => {
    const base = { text: '密码 7731', hiddenLine: '您有一条新消息' };
    expect(notificationBody({ ...base, userHidden: false, deploymentAllows: true })).toBe(
      '密码 7731',
    );
    expect(notificationBody({ ...base, userHidden: true, deploymentAllows: true })).toBe(
      '您有一条新消息',
    );
    expect(notificationBody({ ...base, userHidden: false, deploymentAllows: false })).toBe(
      '您有一条新消息',
    );
  });
});
