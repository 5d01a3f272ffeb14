/** Where this profile keeps the user's choice to leave message text out of notifications. */
const KEY = 'hongyan.notification-text';

/** True when the user asked for notifications without the message text (default: with it). */
export function notificationTextHidden(storage: Pick<Storage, 'getItem'> | undefined): boolean {
  return storage?.getItem(KEY) === 'hidden';
}

/** Saves the choice for this profile. */
export function setNotificationTextHidden(
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined,
  hidden: boolean,
): void {
  if (hidden) storage?.setItem(KEY, 'hidden');
  else storage?.removeItem(KEY);
}

/**
 * The body of a notification: the message text, or a neutral line when the user or the
 * deployment keeps message text off the screen.
 */
export function notificationBody(params: {
  text: string;
  userHidden: boolean;
  deploymentAllows: boolean;
  hiddenLine: string;
}): string {
  return params.userHidden || !params.deploymentAllows
    ? params.hiddenLine
    : params.text.slice(0, 500);
}
