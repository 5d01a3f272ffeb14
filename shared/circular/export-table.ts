/**
 * The acknowledgment report (签收情况) as a plain table: a metadata block describing the circular,
 * a header row and one row per recipient. CSV (here) and XLSX (renderer) are thin writers over it.
 */
import type { CircularAggregate, RecipientStatus, RecipientStatusKind } from './aggregate';
import { unreadWithKey } from './awaiting-key';
import { sortRecipients } from './rollup';
import { formatChinaTime } from './text';
import type { Circular } from './types';
import { URGENCY_LABELS_EN, URGENCY_LABELS_ZH } from './types';
import type { UnitIndex } from './unit-index';

/** Language of labels in the exported table. */
export type ExportLanguage = 'zh' | 'en';
/** A cell of the exported table. */
export type ExportCell = string | number;

/** The report, ready for a writer. */
export interface ExportTable {
  /** `[label, value]` rows describing the circular, printed above the table. */
  metadata: ExportCell[][];
  header: string[];
  rows: ExportCell[][];
}

/** What the directory knows of a person. */
export interface ExportPerson {
  displayName?: string;
  /** Job title (职务). */
  position?: string;
}

/** Input of {@link buildExportTable}. */
export interface BuildExportInput {
  circular: Circular;
  /** With `awaitingKey` (and recipients flagged) when the issuer's client knows who waits for the key. */
  aggregate: Pick<CircularAggregate, 'recipients' | 'totals'> & { awaitingKey?: number };
  /** Unit names (and row order: units in tree order). */
  index: UnitIndex;
  /** Directory entry of a user, if known. */
  personOf?: (userId: string) => ExportPerson | undefined;
  /** The home server's name: its users' accounts are shown as the bare localpart. */
  serverName?: string;
  language: ExportLanguage;
}

interface Labels {
  header: string[];
  meta: {
    title: string;
    docNumber: string;
    issuer: string;
    urgency: string;
    issuedAt: string;
    deadline: string;
    summary: string;
  };
  status: Record<RecipientStatusKind, string>;
  /** 待密钥: unread because no device of theirs can decrypt it yet (apart from 未读). */
  awaitingKey: string;
  left: string;
  yes: string;
  no: string;
  noDeadline: string;
  /** `unread` excludes those waiting for the key, counted in `awaitingKey`. */
  summary: (t: CircularAggregate['totals'], awaitingKey: number) => string;
}

const LABELS: Readonly<Record<ExportLanguage, Labels>> = {
  zh: {
    header: ['单位', '姓名', '账号', '职务', '状态', '阅读时间', '签收时间', '回执', '是否逾期'],
    meta: {
      title: '标题',
      docNumber: '文号',
      issuer: '发文单位',
      urgency: '紧急程度',
      issuedAt: '发布时间',
      deadline: '签收截止',
      summary: '统计',
    },
    status: { unread: '未读', read: '已读', acknowledged: '已签收' },
    awaitingKey: '待密钥',
    left: '（已退出）',
    yes: '是',
    no: '否',
    noDeadline: '无',
    summary: (t, waiting) =>
      `共 ${t.total} 人：未读 ${t.unread}，${waiting > 0 ? `待密钥 ${waiting}，` : ''}已读 ${t.read}，已签收 ${t.acknowledged}，逾期 ${t.overdue}`,
  },
  en: {
    header: [
      'Unit',
      'Name',
      'Account',
      'Position',
      'Status',
      'Read at',
      'Acknowledged at',
      'Reply note',
      'Overdue',
    ],
    meta: {
      title: 'Title',
      docNumber: 'Document number',
      issuer: 'Issuing unit',
      urgency: 'Urgency',
      issuedAt: 'Issued at',
      deadline: 'Acknowledgment deadline',
      summary: 'Summary',
    },
    status: { unread: 'Unread', read: 'Read', acknowledged: 'Acknowledged' },
    awaitingKey: 'Waiting for key',
    left: ' (left)',
    yes: 'Yes',
    no: 'No',
    noDeadline: 'None',
    summary: (t, waiting) =>
      `${t.total} recipients: ${t.unread} unread, ${waiting > 0 ? `${waiting} waiting for the key, ` : ''}${t.read} read, ${t.acknowledged} acknowledged, ${t.overdue} overdue`,
  },
};

/**
 * The account shown for a user: the localpart for the home server's users, `localpart:server` for
 * others. The leading `@` is dropped so spreadsheets never read the cell as a formula.
 */
export function accountLabel(userId: string, serverName?: string): string {
  const bare = userId.startsWith('@') ? userId.slice(1) : userId;
  return serverName !== undefined && bare.endsWith(`:${serverName}`)
    ? bare.slice(0, -serverName.length - 1)
    : bare;
}

/** Builds the report: metadata block, header and rows (units in tree order, then names in pinyin order). Times are Beijing time. */
export function buildExportTable(input: BuildExportInput): ExportTable {
  const l = LABELS[input.language];
  const c = input.circular;
  const time = (ms: number | undefined): string => (ms === undefined ? '' : formatChinaTime(ms));
  const metadata: ExportCell[][] = [
    [l.meta.title, c.title],
    [l.meta.docNumber, c.docNumber ?? ''],
    [l.meta.issuer, c.issuingUnit.name],
    [l.meta.urgency, (input.language === 'zh' ? URGENCY_LABELS_ZH : URGENCY_LABELS_EN)[c.urgency]],
    [l.meta.issuedAt, time(c.issuedAt)],
    [l.meta.deadline, c.ackDeadline === undefined ? l.noDeadline : time(c.ackDeadline)],
    [
      l.meta.summary,
      l.summary(
        { ...input.aggregate.totals, unread: unreadWithKey(input.aggregate) },
        input.aggregate.awaitingKey ?? 0,
      ),
    ],
  ];
  const nameOf = (userId: string): string | undefined => input.personOf?.(userId)?.displayName;
  const sorted = sortRecipients<RecipientStatus>(input.index, input.aggregate.recipients, {
    key: 'unit',
    nameOf,
  });
  const rows = sorted.map((r): ExportCell[] => {
    const person = input.personOf?.(r.userId);
    return [
      input.index.byCode.get(r.unitCode)?.name ?? r.unitCode,
      person?.displayName ?? '',
      accountLabel(r.userId, input.serverName),
      person?.position ?? '',
      (r.awaitingKey ? l.awaitingKey : l.status[r.status]) + (r.leftAfterSend ? l.left : ''),
      time(r.readAt),
      time(r.ackedAt),
      r.ackNote ?? '',
      r.overdue ? l.yes : l.no,
    ];
  });
  return { metadata, header: [...l.header], rows };
}

/** Characters Windows forbids in file names, and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const UNSAFE_FILE_CHARS = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/**
 * A file name (without extension) for the report, safe on Windows, macOS and Linux:
 * `签收情况-<文号 or title>-<YYYYMMDD of issue>` (English: `acknowledgments-…`).
 */
export function exportFileBaseName(circular: Circular, language: ExportLanguage): string {
  const prefix = language === 'zh' ? '签收情况' : 'acknowledgments';
  const subject = (circular.docNumber ?? circular.title)
    .replace(UNSAFE_FILE_CHARS, '_')
    .trim()
    .slice(0, 80);
  const date = formatChinaTime(circular.issuedAt).slice(0, 10).replace(/-/g, '');
  return `${prefix}-${subject}-${date}`.replace(/[. ]+$/, '');
}
