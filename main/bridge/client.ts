/**
 * The contract's client for a browser talking to `npm run serve`: the same `PartiApi` as
 * `window.parti` in Electron, over the loopback WebSocket. When the socket drops it says so
 * at once and reconnects by itself once the bridge answers again; a bridge relaunched since
 * (a new per-launch token) refuses the old page, and then it says that instead.
 */
import { buildApi } from '../common/proxy';
import type { Envelope, PartiApi } from '../common/contract';
import { decodeWire, encodeWire, type ClientMessage, type ServerMessage } from '../common/wire';

/** `lost`: the bridge went away (retrying); `refused`: a bridge is back but not this launch's. */
export type ConnectionStatus = 'connected' | 'lost' | 'refused';

export interface BridgeClientOptions {
  /** Defaults to the page's own origin, `/ws`. */
  url?: string;
  /** Defaults to the page URL's `token` parameter (the bridge also accepts its cookie). */
  token?: string;
  /** Told whenever the connection is lost, refused or back. */
  onStatus?: (status: ConnectionStatus) => void;
  /** How often a lost connection is tried again. */
  retryMs?: number;
}

const RETRY_MS = 1000;

/** Runs `run` later without keeping a Node process alive for it (tests, the soak). */
function later(run: () => void, ms: number): void {
  const timer = setTimeout(run, ms) as unknown as { unref?: () => void };
  timer.unref?.();
}

export function bridgeUrl(options: BridgeClientOptions = {}): string {
  const url = new URL(options.url ?? '/ws', globalThis.location?.href);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  const token = options.token ?? new URLSearchParams(globalThis.location?.search).get('token');
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

/**
 * Whether this page's launch still answers: the page URL carries its per-launch path and
 * token, so a relaunched bridge refuses it (403/404) while a dead one does not answer at all.
 */
async function pageStillServed(): Promise<'served' | 'refused' | 'down'> {
  if (!globalThis.location) return 'served'; // not a page: only the socket can tell
  try {
    const response = await fetch(globalThis.location.href, { method: 'HEAD', cache: 'no-store' });
    return response.ok ? 'served' : 'refused';
  } catch {
    return 'down';
  }
}

/** Resolves once the socket is open; rejects if it cannot connect. */
export function connectBridge(options: BridgeClientOptions = {}): Promise<PartiApi> {
  const url = bridgeUrl(options);
  const retryMs = options.retryMs ?? RETRY_MS;
  const pending = new Map<number, (envelope: Envelope) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket;

  const failAll = (error: string) => {
    for (const resolve of pending.values()) resolve({ ok: false, error });
    pending.clear();
  };

  const onMessage = (event: MessageEvent) => {
    const message = decodeWire(String(event.data)) as ServerMessage;
    if (message.type === 'event') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
      return;
    }
    const resolve = pending.get(message.id);
    pending.delete(message.id);
    resolve?.(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
  };

  /** Tries again until this launch's bridge answers, then opens a fresh socket. */
  const reconnect = async () => {
    const served = await pageStillServed();
    if (served === 'refused') return options.onStatus?.('refused');
    if (served === 'down') return later(reconnect, retryMs);
    open().then(
      () => options.onStatus?.('connected'),
      () => later(reconnect, retryMs),
    );
  };

  const open = () =>
    new Promise<void>((resolve, reject) => {
      const next = new WebSocket(url);
      next.addEventListener('message', onMessage);
      next.addEventListener(
        'open',
        () => {
          socket = next;
          next.addEventListener('close', () => {
            failAll('The connection to Parti Studio was lost; it reconnects by itself when the studio is back.');
            options.onStatus?.('lost');
            later(reconnect, retryMs);
          });
          resolve();
        },
        { once: true },
      );
      next.addEventListener(
        'error',
        () => reject(new Error('Could not connect to the Parti Studio bridge (is `npm run serve` running, and is the token right?)')),
        { once: true },
      );
    });

  const api = buildApi({
    call(name, input) {
      if (socket.readyState !== WebSocket.OPEN) {
        return Promise.resolve({ ok: false, error: 'Not connected to Parti Studio; it reconnects by itself when the studio is back.' });
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

  return open().then(() => api);
}
