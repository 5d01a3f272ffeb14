import type { Messages } from '../i18n/zh-cn';

/** Strings of the account screens: settings in 我的 and the password change. */
export const accountZhCN = {
  settings: {
    title: '设置',
    notificationText: '通知中显示消息内容',
    notificationTextHint: '关闭后，系统通知只显示发送人和会话，锁屏和通知中心看不到消息内容。',
    notificationTextLocked: '管理员已设置：通知中不显示消息内容。',
    hiddenBody: '您有一条新消息',
    contentProtection: '防止截屏和录屏',
    contentProtectionLocked: '此项由管理员设置。',
    openAtLogin: '开机时启动鸿雁',
  },
  password: {
    title: '修改密码',
    open: '修改密码',
    firstLoginTitle: '请先设置新密码',
    firstLoginHint:
      '您的账号使用管理员发放的初始密码。设置只有您知道的新密码后，才会为您创建加密身份和恢复密钥。',
    current: '当前密码',
    next: '新密码',
    confirm: '再次输入新密码',
    policy: '至少 10 个字符，包含大写字母、小写字母和数字。',
    submit: '确认修改',
    cancel: '取消',
    changing: '正在修改…',
    done: '密码已修改。其他设备上的登录保持有效。',
    mismatch: '两次输入的新密码不一致。',
    same: '新密码不能与当前密码相同。',
    tooWeak: '新密码不符合要求：至少 10 个字符，包含大写字母、小写字母和数字。',
    wrongCurrent: '当前密码不正确。',
    missing: '请填写当前密码，并输入两次新密码。',
    rateLimited: '尝试次数过多，请稍等片刻再试。',
    failed: '密码未能修改，请稍后重试。',
    logout: '退出登录',
  },
} as const;

/** English mirror of {@link accountZhCN}. */
export const accountEn: Messages<typeof accountZhCN> = {
  settings: {
    title: 'Settings',
    notificationText: 'Show message text in notifications',
    notificationTextHint:
      'When off, system notifications show only the sender and the chat; the lock screen and notification centre never show the message.',
    notificationTextLocked: 'Set by your administrator: notifications do not show message text.',
    hiddenBody: 'You have a new message',
    contentProtection: 'Block screenshots and screen recording',
    contentProtectionLocked: 'This is set by your administrator.',
    openAtLogin: 'Start Hongyan when I sign in to this computer',
  },
  password: {
    title: 'Change password',
    open: 'Change password',
    firstLoginTitle: 'Set a new password first',
    firstLoginHint:
      'Your account uses an initial password from your administrator. Your encryption identity and recovery key are created once you set a password only you know.',
    current: 'Current password',
    next: 'New password',
    confirm: 'New password again',
    policy: 'At least 10 characters, with upper-case and lower-case letters and a digit.',
    submit: 'Change password',
    cancel: 'Cancel',
    changing: 'Changing…',
    done: 'Your password was changed. Sign-ins on your other devices stay valid.',
    mismatch: 'The two new passwords differ.',
    same: 'The new password must differ from the current one.',
    tooWeak:
      'The new password does not meet the rules: at least 10 characters, with upper-case and lower-case letters and a digit.',
    wrongCurrent: 'The current password is wrong.',
    missing: 'Enter your current password and the new one twice.',
    rateLimited: 'Too many attempts. Please wait a moment and try again.',
    failed: 'The password was not changed. Please try again later.',
    logout: 'Sign out',
  },
};
