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
    sso: 'Sign in with unified identity (统一身份认证)',
    ssoWith: 'Sign in with {{name}}',
    or: 'or with username and password',
    ssoCompleting: 'Completing unified identity sign-in…',
    errors: {
      invalidUrl: 'The homeserver URL is not valid: {{detail}}',
      insecureUrl:
        '{{url}} does not use https, so the password and token would travel in the clear; plain http is allowed only for a server on this machine.',
      homeserverNotAllowed:
        'The web app connects only to the configured server {{allowed}}, not to {{url}}.',
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
      ssoUnreachable:
        'The unified identity platform cannot be reached. Try again later or contact your administrator.',
      ssoFailed: 'The unified identity sign-in did not complete or has expired. Sign in again.',
      passwordDisabled:
        'Your organisation has turned password sign-in off. Use unified identity sign-in.',
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
    me: 'Me',
    back: 'Back',
  },
  keeping: {
    legend: 'In this browser',
    device: 'Stay signed in',
    deviceHint: 'No sign-in next time; whoever copies the browser data can enter this session too',
    passphrase: 'Stay signed in, locked with a passphrase',
    passphraseHint:
      'Enter the passphrase at every start; without it the session and keys cannot be read',
    session: 'Do not stay signed in',
    sessionHint:
      'Sign in again after closing or reloading the page; nothing of the session is kept',
    confirm: 'Repeat the passphrase',
    tooShort: 'The passphrase needs at least 8 characters.',
    mismatch: 'The two passphrases differ.',
  },
  unlock: {
    title: 'Unlock Hongyan',
    explain: 'The session in this browser is locked with a passphrase. Enter it to continue.',
    submit: 'Unlock',
    unlocking: 'Unlocking…',
    wrong: 'The passphrase is not correct.',
    forget: 'Forgot it? Remove the session from this browser',
    forgetConfirm:
      'This deletes the saved session and local data in this browser; you will sign in again. Continue?',
  },
  errors: {
    details: 'Details',
    forbidden: 'You are not allowed to do this. If you need to, ask your unit admin.',
    rateLimited: 'Too many attempts. Please wait a moment and try again.',
    notFound:
      'What you asked for was not found; it may have been deleted or expired. Refresh and try again.',
    tooLarge: 'The file or content is too large. Make it smaller and try again.',
    signedOut: 'Your session has expired. Please sign in again.',
    badRequest: 'Something you entered is not accepted. Check it and try again.',
    network: 'Cannot reach the server. Check the network and try again.',
    server: 'The server had a problem. Try again later; if it persists, tell your admin.',
    unknown:
      'This could not be done. Try again later; if it still fails, give the details to your admin.',
    field: {
      title: 'Enter a title (not empty, not too long).',
      docNumber: 'The document number is too long.',
      issuingUnit: 'Choose the issuing unit.',
      urgency: 'Choose the urgency.',
      ackDeadline: 'The acknowledgment deadline must be in the future.',
      attachments:
        'An attachment is wrong (too large, too many, or failed to upload). Remove it and add it again.',
      targets: 'Choose at least one target unit.',
      unitCodes: 'Some chosen units have no notice room yet. Change the targets or ask your admin.',
      body: 'The text is too long. Shorten it, or send the full text as an attachment.',
      id: 'The circular id is not valid. Reopen the compose page and try again.',
      circularId: 'The circular id is not valid. Reopen the compose page and try again.',
      other: 'Something in the circular is wrong. Check it and try again.',
    },
  },
  connection: {
    online: 'Connected',
    syncing: 'Syncing',
    offline: 'Connection lost, reconnecting…',
  },
};
