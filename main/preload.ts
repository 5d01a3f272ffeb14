/**
 * The preload: exposes `window.hongyan` (the {@link HongyanBridge}) and nothing else. It never hands
 * `ipcRenderer`, the IPC event object or any Node API to the page; each call is checked against the
 * contract's channel lists here too, so the page cannot reach other channels through the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel, type HongyanBridge } from '../shared/ipc/contract';

const bridge: HongyanBridge = {
  invoke(channel, ...args) {
    if (!isInvokeChannel(channel))
      return Promise.reject(new Error(`unknown channel "${String(channel)}"`));
    return ipcRenderer.invoke(channel, ...args);
  },
  on(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`unknown event "${String(channel)}"`);
    // Only the payload crosses into the page, never the event (it exposes the sender).
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void =>
      listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('hongyan', bridge);
