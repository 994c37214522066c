/**
 * The Electron preload: exposes exactly the contract's API as `window.parti` and nothing
 * else (no generic send/invoke). Bundled to one CommonJS file because sandboxed preloads
 * cannot load modules.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi } from '../main/common/proxy';
import { callChannel, eventChannel, type Envelope } from '../main/common/contract';

const api = buildApi({
  call: (wireName, input) => ipcRenderer.invoke(callChannel(wireName), input) as Promise<Envelope>,
  subscribe(wireName, listener) {
    const channel = eventChannel(wireName);
    // Drops the IPC event so the renderer never sees `sender` or other Electron internals.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => ipcRenderer.off(channel, forward);
  },
});

contextBridge.exposeInMainWorld('parti', api);
