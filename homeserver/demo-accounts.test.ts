import { describe, expect, it } from 'vitest';
import { formatDemoAccounts } from './demo-accounts';

describe('formatDemoAccounts', () => {
  it('names every role in Chinese, the grid worker included, and aligns CJK columns', () => {
    const table = formatDemoAccounts([
      {
        userId: '@zhao.zhenhua:hongyan.local',
        unitCode: '990101',
        username: 'zhao.zhenhua',
        password: 'pw-1',
        displayName: '赵振华',
        unitName: '桃花村',
        roles: ['grid_worker', 'issuer'],
      },
      {
        userId: '@a:hongyan.local',
        unitCode: '990000',
        username: 'a',
        password: 'pw-2',
        displayName: '甲',
        unitName: '示范省',
        roles: ['member'],
      },
    ]);
    const [header, , first, second] = table.split('\n');
    expect(first).toContain('网格员、发文员');
    expect(first).not.toContain('grid_worker');
    expect(second).toContain('成员');
    expect(header?.indexOf('姓名')).toBe(first?.indexOf('赵振华'));
  });
});
