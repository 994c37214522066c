/**
 * The contract's client for a browser talking to `npm run serve`: the same `PartiApi` as
 * `window.parti` in Electron, over the loopback WebSocket.
 */
import { buildApi } from '../common/proxy';
import type { Envelope, PartiApi } from '../common/contract';
import { decodeWire, encodeWire, type ClientMessage, type ServerMessage } from '../common/wire';

export interface BridgeClientOptions {
  /** Defaults to the page's own origin, `/ws`. */
  url?: string;
  /** Defaults to the page URL's `token` parameter (the bridge also accepts its cookie). */
  token?: string;
}

export function bridgeUrl(options: BridgeClientOptions = {}): string {
  const url = new URL(options.url ?? '/ws', globalThis.location?.href);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  const token = options.token ?? new URLSearchParams(globalThis.location?.search).get('token');
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

/** Resolves once the socket is open; rejects if it cannot connect. */
export function connectBridge(options: BridgeClientOptions = {}): Promise<PartiApi> {
  const socket = new WebSocket(bridgeUrl(options));
  const pending = new Map<number, (envelope: Envelope) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;

  const failAll = (error: string) => {
    for (const resolve of pending.values()) resolve({ ok: false, error });
    pending.clear();
  };

  socket.addEventListener('message', (event) => {
    const message = decodeWire(String(event.data)) as ServerMessage;
    if (message.type === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
      return;
    }
    const resolve = pending.get(message.id);
    pending.delete(message.id);
    resolve?.(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
  });
  socket.addEventListener('close', () => failAll('The connection to Parti Studio was closed. Reload the page.'));

  const api = buildApi({
    call(name, input) {
      if (socket.readyState !== WebSocket.OPEN) {
        return Promise.resolve({ ok: false, error: 'Not connected to Parti Studio. Reload the page.' });
      }
      const id = nextId++;
      const message: ClientMessage = { type: 'call', id, name, input };
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve);
        socket.send(encodeWire(message));
      });
    },
    subscribe(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });

  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(api), { once: true });
    socket.addEventListener(
      'error',
      () => reject(new Error('Could not connect to the Parti Studio bridge (is `npm run serve` running, and is the token right?)')),
      { once: true },
    );
  });
}
