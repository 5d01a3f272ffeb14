/** Simplified Chinese strings — the default language. Keys are shared with `en.ts`. */
export const zhCN = {
  app: {
    name: '鸿雁',
    tagline: '安全政务协同',
  },
  language: {
    label: '语言',
    'zh-CN': '简体中文',
    en: 'English',
  },
  login: {
    title: '登录鸿雁',
    subtitle: '端到端加密的政务消息与通知平台',
    homeserver: '服务器地址',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    errors: {
      invalidUrl: '服务器地址无效：{{detail}}',
      insecureUrl:
        '{{url}} 未使用 https，登录密码和令牌会以明文传输；只有本机测试服务器可用 http。',
      homeserverNotAllowed: '网页版只能连接本单位配置的服务器 {{allowed}}，不能连接 {{url}}。',
      unreachable: '无法连接服务器 {{url}}，请检查地址或服务器是否已启动。',
      notMatrix: '{{url}} 不是鸿雁服务器（未找到 Matrix 接口）。',
      badCredentials: '用户名或密码错误。',
      userDeactivated: '该账号已停用，请联系管理员。',
      rateLimited: '尝试次数过多，请 {{seconds}} 秒后再试。',
      missingFields: '请填写服务器地址、用户名和密码。',
      serverError: '服务器出错（{{status}}），请稍后再试。',
      crypto: '加密模块初始化失败：{{detail}}',
      unknown: '登录失败：{{detail}}',
    },
  },
  home: {
    signedInAs: '已登录：{{userId}}',
    device: '设备 {{deviceId}}',
    logout: '退出登录',
    rooms: '会话',
    noRooms: '暂无会话',
    syncing: '正在同步…',
    welcome: '欢迎，{{name}}',
  },
  nav: {
    label: '导航',
    chat: '会话',
    circulars: '通知公文',
    directory: '通讯录',
    admin: '管理',
  },
  keeping: {
    legend: '在此浏览器中',
    device: '保存登录',
    deviceHint: '下次打开无需登录；复制浏览器数据的人也能进入此会话',
    passphrase: '保存登录，并用解锁口令加密',
    passphraseHint: '每次打开需输入口令；没有口令无法读取会话和密钥',
    session: '不保存登录',
    sessionHint: '关闭或刷新页面后需重新登录，本机不留会话',
    confirm: '再次输入解锁口令',
    tooShort: '解锁口令至少 8 个字符。',
    mismatch: '两次输入的解锁口令不一致。',
  },
  unlock: {
    title: '解锁鸿雁',
    explain: '此浏览器中的登录已用解锁口令加密。请输入口令继续。',
    submit: '解锁',
    unlocking: '正在解锁…',
    wrong: '解锁口令不正确。',
    forget: '忘记口令？清除此浏览器中的登录',
    forgetConfirm: '将删除此浏览器中保存的登录和本地数据，之后需要重新登录。继续吗？',
  },
  connection: {
    online: '已连接',
    syncing: '同步中',
    offline: '连接中断，正在重连…',
  },
} as const;

/** Recursively widens literal string types so other languages can provide their own text. */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
