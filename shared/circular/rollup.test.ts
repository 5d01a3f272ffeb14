import { describe, expect, it } from 'vitest';
import type { RecipientStatus, RecipientStatusKind } from './aggregate';
import { filterRecipients, percent, rollUpByUnit, sortRecipients, sortUnitStats } from './rollup';
import { SAMPLE_UNITS } from './test-fixtures';
import { buildUnitIndex } from './unit-index';

const index = buildUnitIndex(SAMPLE_UNITS);

function r(
  userId: string,
  unitCode: string,
  status: RecipientStatusKind,
  extra: Partial<RecipientStatus> = {},
): RecipientStatus {
  return {
    roomId: `!${unitCode}:s`,
    unitCode,
    userId,
    status,
    overdue: false,
    leftAfterSend: false,
    ...extra,
  };
}

/** A unit's expected counts, in the order the dashboard shows them. */
function counts(
  total: number,
  unread: number,
  read: number,
  acknowledged: number,
  overdue: number,
) {
  return { total, unread, read, acknowledged, overdue };
}

const RECIPIENTS: RecipientStatus[] = [
  r('@a:s', '330000', 'acknowledged', { readAt: 5, ackedAt: 6 }),
  r('@b:s', '330100', 'read', { readAt: 3, overdue: true }),
  r('@c:s', '330101', 'unread', { overdue: true }),
  r('@d:s', '330102001', 'acknowledged', { readAt: 1, ackedAt: 2 }),
  r('@e:s', '330102001', 'unread'),
  r('@f:s', '330201', 'read', { readAt: 4 }),
  r('@g:s', '330100-edu', 'acknowledged', { readAt: 2, ackedAt: 9 }),
  r('@h:s', '990000', 'unread'),
];

describe('rollUpByUnit', () => {
  const { byUnit, unassigned } = rollUpByUnit(index, RECIPIENTS);

  it('counts each unit’s own recipients and rolls them up to every ancestor', () => {
    expect(byUnit.get('330102001')?.subtree).toEqual(counts(2, 1, 0, 1, 0));
    expect(byUnit.get('330102')?.own.total).toBe(0);
    expect(byUnit.get('330102')?.subtree.total).toBe(2);
    expect(byUnit.get('330100')?.own).toEqual(counts(1, 0, 1, 0, 1));
    expect(byUnit.get('330100')?.subtree).toEqual(counts(5, 2, 1, 2, 2));
    expect(byUnit.get('330000')?.subtree).toEqual(counts(7, 2, 2, 3, 2));
  });

  it('counts a person in several units once per unit and once in every subtree above them', () => {
    // @p is in two sibling counties (330101, 330102001 under 330100), in a department of 330100,
    // and in 330201 under the other city: four copies, one person.
    const person = (unitCode: string) => r('@p:s', unitCode, 'read', { readAt: 7 });
    const people = [
      ...RECIPIENTS,
      person('330101'),
      person('330102001'),
      person('330100-edu'),
      person('330201'),
    ];
    const rolled = rollUpByUnit(index, people).byUnit;
    for (const code of ['330101', '330102001', '330100-edu', '330201'])
      expect(rolled.get(code)?.own.total).toBe((byUnit.get(code)?.own.total ?? 0) + 1);
    expect(rolled.get('330100')?.subtree.total).toBe(6);
    expect(rolled.get('330200')?.subtree.total).toBe(2);
    expect(rolled.get('330000')?.subtree).toEqual(counts(8, 2, 3, 3, 2));
  });

  it('agrees with the totals of the aggregation, which count each person once', () => {
    const twice = [r('@p:s', '330101', 'unread'), r('@p:s', '330201', 'unread')];
    const rolled = rollUpByUnit(index, [...twice, r('@q:s', '330000', 'read')]).byUnit;
    expect(rolled.get('330000')?.subtree.total).toBe(2);
    expect(rolled.get('330000')?.rates.read).toBe(50);
  });

  it('counts a person in a unit and in a unit below it once in the upper one', () => {
    const rolled = rollUpByUnit(index, [
      r('@p:s', '330100', 'unread'),
      r('@p:s', '330102001', 'unread'),
    ]).byUnit;
    expect(rolled.get('330102')?.subtree.total).toBe(1);
    expect(rolled.get('330100')?.subtree.total).toBe(1);
    expect(rolled.get('330000')?.subtree.total).toBe(1);
  });

  it('gives percentages of the subtree (read includes acknowledged)', () => {
    expect(byUnit.get('330100')?.rates).toEqual({
      read: 60,
      acknowledged: 40,
      unread: 40,
      overdue: 40,
    });
    expect(byUnit.get('330000')?.rates.read).toBe(71.4);
    expect(byUnit.get('330200')?.rates).toEqual({
      read: 100,
      acknowledged: 0,
      unread: 0,
      overdue: 0,
    });
  });

  it('lists units without recipients at zero and never drops recipients of unknown units', () => {
    expect(byUnit.size).toBe(SAMPLE_UNITS.length);
    const sparse = rollUpByUnit(index, [r('@x:s', '330201', 'read')]).byUnit;
    expect(sparse.get('330101')).toEqual({
      unitCode: '330101',
      own: counts(0, 0, 0, 0, 0),
      subtree: counts(0, 0, 0, 0, 0),
      rates: { read: 0, acknowledged: 0, unread: 0, overdue: 0 },
    });
    expect(unassigned).toEqual(counts(1, 1, 0, 0, 0));
  });

  it('rounds percentages to one decimal and treats an empty total as 0', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBe(0);
  });
});

describe('filterRecipients', () => {
  const ids = (list: RecipientStatus[]) => list.map((x) => x.userId);

  it.each<[string, Parameters<typeof filterRecipients>[2], string[]]>([
    ['a unit subtree', { subtreeOf: '330100' }, ['@b:s', '@c:s', '@d:s', '@e:s', '@g:s']],
    ['a leaf unit', { subtreeOf: '330102001' }, ['@d:s', '@e:s']],
    ['a status', { statuses: ['unread'] }, ['@c:s', '@e:s', '@h:s']],
    [
      'several statuses',
      { statuses: ['read', 'acknowledged'] },
      ['@a:s', '@b:s', '@d:s', '@f:s', '@g:s'],
    ],
    ['overdue only', { overdueOnly: true }, ['@b:s', '@c:s']],
    [
      'all criteria at once',
      { subtreeOf: '330100', statuses: ['unread'], overdueOnly: true },
      ['@c:s'],
    ],
    ['an unknown unit', { subtreeOf: 'nope' }, []],
    ['nothing', {}, ['@a:s', '@b:s', '@c:s', '@d:s', '@e:s', '@f:s', '@g:s', '@h:s']],
  ])('by %s', (_name, filter, expected) => {
    expect(ids(filterRecipients(index, RECIPIENTS, filter))).toEqual(expected);
  });
});

describe('sortRecipients', () => {
  const names: Record<string, string> = { '@d:s': '张三', '@e:s': '李四', '@a:s': '王五' };
  const nameOf = (id: string) => names[id];
  const ids = (list: RecipientStatus[]) => list.map((x) => x.userId);

  it('sorts by unit in tree order, then by name in pinyin order', () => {
    expect(ids(sortRecipients(index, RECIPIENTS, { key: 'unit', nameOf }))).toEqual([
      '@a:s',
      '@b:s',
      '@g:s',
      '@c:s',
      '@e:s',
      '@d:s',
      '@f:s',
      '@h:s',
    ]);
  });

  it('sorts Chinese names by pinyin', () => {
    const three = RECIPIENTS.filter((x) => x.userId in names);
    expect(
      ids(sortRecipients(index, three, { key: 'name', nameOf })).map((id) => names[id]),
    ).toEqual(['李四', '王五', '张三']);
  });

  it('sorts by status, either way', () => {
    expect(sortRecipients(index, RECIPIENTS, { key: 'status' }).map((x) => x.status)).toEqual([
      'unread',
      'unread',
      'unread',
      'read',
      'read',
      'acknowledged',
      'acknowledged',
      'acknowledged',
    ]);
    expect(sortRecipients(index, RECIPIENTS, { key: 'status', direction: 'desc' })[0]?.status).toBe(
      'acknowledged',
    );
  });

  it('sorts by time with "not yet" last in both directions', () => {
    expect(ids(sortRecipients(index, RECIPIENTS, { key: 'ackedAt' }))).toEqual([
      '@d:s',
      '@a:s',
      '@g:s',
      '@b:s',
      '@c:s',
      '@e:s',
      '@f:s',
      '@h:s',
    ]);
    expect(
      ids(sortRecipients(index, RECIPIENTS, { key: 'ackedAt', direction: 'desc' })).slice(0, 4),
    ).toEqual(['@g:s', '@a:s', '@d:s', '@b:s']);
    expect(
      ids(sortRecipients(index, RECIPIENTS, { key: 'readAt', direction: 'desc' })).slice(-3),
    ).toEqual(['@c:s', '@e:s', '@h:s']);
  });

  it('does not modify its input', () => {
    const copy = [...RECIPIENTS];
    sortRecipients(index, RECIPIENTS, { key: 'status' });
    expect(RECIPIENTS).toEqual(copy);
  });
});

describe('sortUnitStats', () => {
  const { byUnit } = rollUpByUnit(index, RECIPIENTS);
  it('sorts units by a rate, ties in tree order', () => {
    const worstFirst = sortUnitStats(index, byUnit.values(), 'acknowledged').map((s) => s.unitCode);
    expect(worstFirst.slice(0, 4)).toEqual(['330101', '330200', '330201', '330100']);
    expect(sortUnitStats(index, byUnit.values(), 'total', 'desc')[0]?.unitCode).toBe('330000');
    expect(sortUnitStats(index, byUnit.values(), 'tree').map((s) => s.unitCode)).toEqual(
      index.preorder,
    );
  });
});
