import type { Messages, zhCN } from './zh-cn';

/** English strings, offered as a choice. Must mirror `zh-cn.ts` key for key (the type enforces it). */
export const en: Messages<typeof zhCN> = {
  app: {
    name: 'Hongyan',
    tagline: 'Secure government collaboration',
  },
  language: {
    label: 'Language',
    'zh-CN': '简体中文',
    en: 'English',
  },
  login: {
    title: 'Sign in to Hongyan',
    subtitle: 'End-to-end encrypted messaging and circulars',
    homeserver: 'Homeserver URL',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    errors: {
      invalidUrl: 'The homeserver URL is not valid: {{detail}}',
      unreachable:
        'Cannot reach the homeserver at {{url}}. Check the address or whether the server is running.',
      notMatrix: '{{url}} is not a Hongyan homeserver (no Matrix API found).',
      badCredentials: 'Wrong username or password.',
      userDeactivated: 'This account has been deactivated. Contact your administrator.',
      rateLimited: 'Too many attempts. Try again in {{seconds}} seconds.',
      missingFields: 'Enter the homeserver URL, username and password.',
      serverError: 'The homeserver failed ({{status}}). Try again later.',
      crypto: 'Encryption failed to start: {{detail}}',
      unknown: 'Sign-in failed: {{detail}}',
    },
  },
  home: {
    signedInAs: 'Signed in as {{userId}}',
    device: 'Device {{deviceId}}',
    logout: 'Sign out',
    rooms: 'Conversations',
    noRooms: 'No conversations yet',
    syncing: 'Syncing…',
    welcome: 'Welcome, {{name}}',
  },
  nav: {
    label: 'Navigation',
    chat: 'Chats',
    circulars: 'Circulars',
    directory: 'Directory',
    admin: 'Admin',
  },
  connection: {
    online: 'Connected',
    syncing: 'Syncing',
    offline: 'Connection lost, reconnecting…',
  },
};
