import type { Messages } from '../i18n/zh-cn';

/**
 * UI strings of the org feature, in Simplified Chinese (default) and English.
 * Merged into the app's i18n resources under the `org` key, so they are used as t('org.…').
 */
export const orgZhCN = {
  loading: '正在加载组织架构…',
  treeTitle: '组织架构',
  treeLabel: '组织架构树',
  expand: '展开',
  collapse: '收起',
  noUnits: '您尚未加入任何单位。',
  unreadTitle: '{{count}} 条未读',
  level: {
    province: '省',
    city: '市',
    county: '县',
    township: '乡镇',
    village: '村',
    department: '部门',
  },
  role: { unit_admin: '单位管理员', issuer: '发文人', grid_worker: '网格员', member: '成员' },
  searchPlaceholder: '搜索姓名、拼音或首字母（如 zw）、单位、职务',
  searchLabel: '搜索通讯录',
  results: '搜索结果（{{count}}）',
  people: '人员（{{count}}）',
  noPeople: '没有找到人员。',
  message: '发消息',
  opening: '正在打开…',
  messageFailed: '无法发起会话：{{reason}}',
  noticeRoom: '通知公告',
  workRoom: '工作群',
  roomsOf: '{{unit}} 的群组',
  notJoined: '您不在此群组中',
} as const;

/** English mirror of {@link orgZhCN}; the type forces every key to exist. */
export const orgEn: Messages<typeof orgZhCN> = {
  loading: 'Loading the organisation…',
  treeTitle: 'Organisation',
  treeLabel: 'Organisation tree',
  expand: 'Expand',
  collapse: 'Collapse',
  noUnits: 'You have not joined any unit yet.',
  unreadTitle: '{{count}} unread',
  level: {
    province: 'Province',
    city: 'City',
    county: 'County',
    township: 'Township',
    village: 'Village',
    department: 'Department',
  },
  role: {
    unit_admin: 'Unit admin',
    issuer: 'Issuer',
    grid_worker: 'Grid worker',
    member: 'Member',
  },
  searchPlaceholder: 'Search name, pinyin or initials (e.g. zw), unit, position',
  searchLabel: 'Search the directory',
  results: 'Results ({{count}})',
  people: 'People ({{count}})',
  noPeople: 'No one found.',
  message: 'Message',
  opening: 'Opening…',
  messageFailed: 'Cannot start the chat: {{reason}}',
  noticeRoom: 'Notices',
  workRoom: 'Work room',
  roomsOf: 'Rooms of {{unit}}',
  notJoined: 'You are not in this room',
};
