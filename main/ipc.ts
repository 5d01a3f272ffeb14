/**
 * The one place IPC handlers are registered. Every message is checked before its handler runs:
 * the channel must be in the contract, the sender must be the top-level frame of an `app://hongyan`
 * page, and the request must pass the channel's validator. A refusal is logged with the channel and
 * the reason only (never the payload, which may hold a secret) and the renderer's promise rejects.
 */
import {
  INVOKE_CHANNELS,
  INVOKE_REQUEST_VALIDATORS,
  isEventChannel,
  isInvokeChannel,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
} from '../shared/ipc/contract';
import { isAppUrl } from './app-origin';
import type { ElectronSeam, IpcInvokeEvent, WebContentsLike } from './electron-seam';
import type { Logger } from './logger';
import { describeUrlForLog } from './external-links';

/** A handler for one channel. It receives a request that already passed validation. */
export type InvokeHandler<C extends InvokeChannel> = (
  request: InvokeRequest<C>,
) => Promise<InvokeResponse<C>> | InvokeResponse<C>;

/** Result of the sender check. */
export type SenderCheck = { ok: true } | { ok: false; reason: string };

/** Accepts only the top-level frame of an app page; sub-frames and foreign origins are refused. */
export function checkSender(event: IpcInvokeEvent): SenderCheck {
  const frame = event.senderFrame;
  if (frame === null) return { ok: false, reason: 'sender frame is gone' };
  if (frame.parent !== null) return { ok: false, reason: 'sender is a sub-frame' };
  if (!isAppUrl(frame.url))
    return { ok: false, reason: `sender origin ${describeUrlForLog(frame.url)} is not the app` };
  return { ok: true };
}

/** Registers handlers; see the module comment for the checks. */
export interface IpcRegistry {
  /** Registers the handler of a contract channel. Registering a channel twice throws. */
  handle<C extends InvokeChannel>(channel: C, handler: InvokeHandler<C>): void;
  /** Channels of the contract that have no handler yet. */
  missingChannels(): InvokeChannel[];
}

/** Creates the registry on top of Electron's `ipcMain`. */
export function createIpcRegistry(params: { electron: ElectronSeam; logger: Logger }): IpcRegistry {
  const { electron, logger } = params;
  const registered = new Set<InvokeChannel>();

  return {
    handle(channel, handler) {
      // The type already restricts `channel`; the runtime check catches casts and typos from JS.
      if (!isInvokeChannel(channel))
        throw new Error(`IPC channel "${String(channel)}" is not in the contract`);
      if (registered.has(channel)) throw new Error(`IPC channel "${channel}" is already handled`);
      registered.add(channel);
      const validate = INVOKE_REQUEST_VALIDATORS[channel] as (value: unknown) => boolean;

      electron.ipcMain.handle(channel, async (event, request) => {
        const sender = checkSender(event);
        if (!sender.ok) {
          logger.warn(`IPC "${channel}" refused: ${sender.reason}`);
          throw new Error(`IPC "${channel}" refused`);
        }
        if (!validate(request)) {
          logger.warn(`IPC "${channel}" refused: malformed request`);
          throw new Error(`IPC "${channel}" refused: malformed request`);
        }
        try {
          return await handler(request as InvokeRequest<typeof channel>);
        } catch (error) {
          logger.error(`IPC "${channel}" failed: ${(error as Error).message}`);
          throw new Error(`IPC "${channel}" failed`);
        }
      });
    },
    missingChannels() {
      return INVOKE_CHANNELS.filter((c) => !registered.has(c));
    },
  };
}

/** Sends a contract event to a renderer. */
export function sendEvent<E extends EventChannel>(
  contents: WebContentsLike,
  channel: E,
  payload: EventPayload<E>,
): void {
  if (!isEventChannel(channel))
    throw new Error(`event "${String(channel)}" is not in the contract`);
  contents.send(channel, payload);
}
