import { describe, expect, it } from 'vitest';
import type { RecipientStatus } from './aggregate';
import { accountLabel, buildExportTable, exportFileBaseName } from './export-table';
import { ISSUED_AT, SAMPLE_UNITS, sampleCircular } from './test-fixtures';
import { buildUnitIndex } from './unit-index';

const index = buildUnitIndex(SAMPLE_UNITS);
const HOUR = 3600_000;

const recipients: RecipientStatus[] = [
  {
    roomId: '!nb',
    unitCode: '330201',
    userId: '@zhaoliu:gov.example.cn',
    status: 'unread',
    overdue: true,
    leftAfterSend: true,
  },
  {
    roomId: '!hz',
    unitCode: '330100',
    userId: '@zhangsan:gov.example.cn',
    status: 'acknowledged',
    readAt: ISSUED_AT + HOUR,
    ackedAt: ISSUED_AT + 2 * HOUR,
    ackNote: '已收到',
    overdue: false,
    leftAfterSend: false,
  },
  {
    roomId: '!hz',
    unitCode: '330100',
    userId: '@lisi:other.example.cn',
    status: 'read',
    readAt: ISSUED_AT + 3 * HOUR,
    overdue: false,
    leftAfterSend: false,
  },
];
const people: Record<string, { displayName?: string; position?: string }> = {
  '@zhangsan:gov.example.cn': { displayName: '张三', position: '办公室主任' },
  '@lisi:other.example.cn': { displayName: '李四' },
};

function table(language: 'zh' | 'en') {
  return buildExportTable({
    circular: sampleCircular(),
    aggregate: {
      recipients,
      totals: { total: 3, unread: 1, read: 1, acknowledged: 1, overdue: 1 },
    },
    index,
    personOf: (id) => people[id],
    serverName: 'gov.example.cn',
    language,
  });
}

describe('buildExportTable', () => {
  it('produces the Chinese report: metadata block, header and one row per recipient', () => {
    const t = table('zh');
    expect(t.metadata).toEqual([
      ['标题', '关于做好防汛工作的通知'],
      ['文号', '示府办〔2025〕12号'],
      ['发文单位', '示范省人民政府办公厅'],
      ['紧急程度', '特急'],
      ['发布时间', '2025-06-01 09:00'],
      ['签收截止', '2025-06-03 18:00'],
      ['统计', '共 3 人：未读 1，已读 1，已签收 1，逾期 1'],
    ]);
    expect(t.header).toEqual([
      '单位',
      '姓名',
      '账号',
      '职务',
      '状态',
      '阅读时间',
      '签收时间',
      '回执',
      '是否逾期',
    ]);
    // Units in tree order (杭州市 before 海曙区), then names by pinyin (李四 before 张三).
    expect(t.rows).toEqual([
      ['杭州市', '李四', 'lisi:other.example.cn', '', '已读', '2025-06-01 12:00', '', '', '否'],
      [
        '杭州市',
        '张三',
        'zhangsan',
        '办公室主任',
        '已签收',
        '2025-06-01 10:00',
        '2025-06-01 11:00',
        '已收到',
        '否',
      ],
      ['海曙区', '', 'zhaoliu', '', '未读（已退出）', '', '', '', '是'],
    ]);
  });

  it('produces the English report with the same shape', () => {
    const t = table('en');
    expect(t.header).toEqual([
      'Unit',
      'Name',
      'Account',
      'Position',
      'Status',
      'Read at',
      'Acknowledged at',
      'Reply note',
      'Overdue',
    ]);
    expect(t.metadata.map((row) => row[0])).toEqual([
      'Title',
      'Document number',
      'Issuing unit',
      'Urgency',
      'Issued at',
      'Acknowledgment deadline',
      'Summary',
    ]);
    expect(t.metadata[3]?.[1]).toBe('Extra urgent');
    expect(t.rows[2]?.[4]).toBe('Unread (left)');
    expect(t.rows[2]?.[8]).toBe('Yes');
  });

  it('writes 待密钥 apart from 未读 for recipients no device of whom can decrypt yet', () => {
    const waiting: RecipientStatus = {
      roomId: '!nb',
      unitCode: '330201',
      userId: '@qianqi:gov.example.cn',
      status: 'unread',
      awaitingKey: true,
      overdue: false,
      leftAfterSend: false,
    };
    const build = (language: 'zh' | 'en') =>
      buildExportTable({
        circular: sampleCircular(),
        aggregate: {
          recipients: [...recipients, waiting],
          totals: { total: 4, unread: 2, read: 1, acknowledged: 1, overdue: 1 },
          awaitingKey: 1,
        },
        index,
        serverName: 'gov.example.cn',
        language,
      });
    const zh = build('zh');
    expect(zh.metadata[6]).toEqual(['统计', '共 4 人：未读 1，待密钥 1，已读 1，已签收 1，逾期 1']);
    expect(zh.rows.find((r) => r[2] === 'qianqi')?.[4]).toBe('待密钥');
    expect(zh.rows.find((r) => r[2] === 'zhaoliu')?.[4]).toBe('未读（已退出）');
    const en = build('en');
    expect(en.rows.find((r) => r[2] === 'qianqi')?.[4]).toBe('Waiting for key');
    expect(en.metadata[6]?.[1]).toBe(
      '4 recipients: 1 unread, 1 waiting for the key, 1 read, 1 acknowledged, 1 overdue',
    );
  });

  it('prints "none" for a circular without deadline or document number', () => {
    const t = buildExportTable({
      circular: sampleCircular({
        ackRequired: false,
        ackDeadline: undefined,
        docNumber: undefined,
      }),
      aggregate: {
        recipients: [],
        totals: { total: 0, unread: 0, read: 0, acknowledged: 0, overdue: 0 },
      },
      index,
      language: 'zh',
    });
    expect(t.metadata[1]).toEqual(['文号', '']);
    expect(t.metadata[5]).toEqual(['签收截止', '无']);
    expect(t.rows).toEqual([]);
  });

  it('shows accounts without a leading @, and local users by localpart', () => {
    expect(accountLabel('@zhangsan:gov.example.cn', 'gov.example.cn')).toBe('zhangsan');
    expect(accountLabel('@zhangsan:gov.example.cn.evil', 'gov.example.cn')).toBe(
      'zhangsan:gov.example.cn.evil',
    );
    expect(accountLabel('@zhangsan:gov.example.cn')).toBe('zhangsan:gov.example.cn');
  });

  it('names the file after the document number or title, safely', () => {
    expect(exportFileBaseName(sampleCircular(), 'zh')).toBe('签收情况-示府办〔2025〕12号-20250601');
    expect(
      exportFileBaseName(sampleCircular({ docNumber: undefined, title: 'a/b:c*?"<>|\n.' }), 'en'),
    ).toBe('acknowledgments-a_b_c_______.-20250601');
  });
});
