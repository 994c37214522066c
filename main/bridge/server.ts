/**
 * The loopback bridge: the built renderer, gallery images and the contract over a
 * WebSocket, on 127.0.0.1 only, behind a per-launch token. The page URL carries the token
 * once; the server then sets it as an HttpOnly cookie so assets and images load without it.
 * Browsers send a host's cookies to all its ports, so pages, images and the cookie live under
 * a per-launch path: other local services and a second bridge never see or replace it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_IMPORT_BYTES } from '../common/limits';
import { decodeWire, encodeWire, type ClientMessage, type ServerMessage } from '../common/wire';
import { asDownloads, asZipDownload, createStudio, type Caller, type Host, type Studio } from '../studio/index';
import type { HubOptions } from '../studio/downloads';
import type { EngineLauncher } from '../engine/process/engine-process';
import { contentSecurityPolicy, contentTypeOf } from '../studio/pages';

export const LOOPBACK = '127.0.0.1';
const COOKIE = 'parti_token';
/** The largest import grows by a third as base64, plus the call around it. */
const MAX_MESSAGE_BYTES = Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 1024 * 1024;

export interface BridgeOptions {
  dataDir: string;
  /** The built renderer (vite's outDir). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  embeddedModelsDir?: string;
  /** The Hugging Face Hub downloads come from; HF_ENDPOINT and HF_TOKEN when left out. */
  hub?: HubOptions;
  /** Starts the engine's process; a fork of its TypeScript entry when left out (a built bridge passes its built one). */
  launchEngine?: EngineLauncher;
  log?: (message: string) => void;
}

export interface Bridge {
  /** The page to open, token included. */
  url: string;
  port: number;
  token: string;
  studio: Studio;
  close(): Promise<void>;
}

/** The Content-Security-Policy of the bridge's pages (the Electron window's, plus its socket). */
export const bridgeCsp = (port: number): string =>
  contentSecurityPolicy({ images: ['data:', 'blob:'], connect: [`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`] });

function bridgeHost(scope: string): Host {
  return {
    kind: 'bridge',
    imageUrl: (id) => `${scope}image/${encodeURIComponent(id)}`,
    reveal: async () => false,
    copyImage: async () => false,
    deliverExport: async (files) => asDownloads(files),
    deliverBoard: async (files, boardName) => asZipDownload(files, boardName),
    chooseFolder: async () => null,
  };
}

interface Reply {
  status: number;
  body: string | Buffer;
  type: string;
  headers?: http.OutgoingHttpHeaders;
}

const text = (status: number, body: string): Reply => ({ status, body, type: 'text/plain; charset=utf-8' });

/** A URL path decoded, or undefined when its %-escapes are malformed. */
function decodePath(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | undefined {
  return header
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(24).toString('base64url');
  /** The path everything but the socket is served under, e.g. `/Xy3…/`. */
  const scope = `/${randomBytes(9).toString('base64url')}/`;
  const log = options.log ?? ((message: string) => console.error(message));
  const rendererDir = path.resolve(options.rendererDir);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir} (run the renderer's vite build first).`);
  }
  const sockets = new Set<WebSocket>();
  const studio = createStudio({
    dataDir: options.dataDir,
    host: bridgeHost(scope),
    send(wireName, payload) {
      const text = encodeWire({ type: 'event', name: wireName, payload } satisfies ServerMessage);
      for (const socket of sockets) socket.send(text);
    },
    ...(options.embeddedModelsDir ? { embeddedModelsDir: options.embeddedModelsDir } : {}),
    ...(options.hub ? { hub: options.hub } : {}),
    ...(options.launchEngine ? { launchEngine: options.launchEngine } : {}),
    log,
  });

  let port = options.port ?? 0;
  const allowedHosts = () => new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  /** Refuses other Host headers (DNS rebinding) and requests without the token. */
  const authorised = (request: http.IncomingMessage, url: URL): boolean =>
    allowedHosts().has(request.headers.host ?? '') &&
    (sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(request.headers.cookie), token));

  /** What one HTTP request gets: a page or asset of the renderer, a gallery image, or a refusal. */
  function route(request: http.IncomingMessage, url: URL): Reply {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Only GET is served here.');
    if (!authorised(request, url)) {
      return text(403, "Parti Studio: open the URL that `npm run serve` printed; it carries this launch's access token.");
    }
    if (!url.pathname.startsWith(scope)) return text(404, 'Not found (this launch serves its pages under the path it printed).');
    const name = decodePath(url.pathname.slice(scope.length));
    if (name === undefined) return text(400, 'Malformed URL.');
    if (name.startsWith('image/')) {
      const file = studio.imageFile(name.slice('image/'.length));
      if (!file || !fs.existsSync(file)) return text(404, 'No such image in the library.');
      return { status: 200, body: fs.readFileSync(file), type: 'image/png', headers: { 'Cache-Control': 'private, max-age=31536000, immutable' } };
    }
    const file = path.resolve(rendererDir, name || 'index.html');
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return text(404, 'Not found.');
    }
    return {
      status: 200,
      body: fs.readFileSync(file),
      type: contentTypeOf(file),
      headers: { 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=${scope}`, 'Cache-Control': 'no-cache' },
    };
  }

  const server = http.createServer((request, response) => {
    let reply: Reply;
    try {
      reply = route(request, new URL(request.url ?? '/', `http://${LOOPBACK}`));
    } catch (error) {
      log(`bridge: ${request.url}: ${(error as Error).message}`);
      reply = text(500, 'The bridge could not answer this request.');
    }
    response.writeHead(reply.status, {
      'Content-Type': reply.type,
      'Content-Security-Policy': bridgeCsp(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      ...reply.headers,
    });
    response.end(request.method === 'HEAD' ? undefined : reply.body);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = URL.parse(request.url ?? '/', `http://${LOOPBACK}`);
    if (!url) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const origin = request.headers.origin;
    const originAllowed = origin === undefined || allowedHosts().has(origin.replace(/^http:\/\//, ''));
    if (url.pathname !== '/ws' || !originAllowed || !authorised(request, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      // Work this socket asked for (a bulk export) stops once it is gone; generation runs still land in the library.
      const requester = new AbortController();
      const caller: Caller = { startDrag: () => false, signal: requester.signal };
      // A protocol error (bad frame, invalid UTF-8, over maxPayload) closes this socket with its code; without
      // a listener the 'error' event would take the whole bridge down.
      ws.on('error', (error) => log(`bridge: closed a socket: ${error.message}`));
      ws.on('close', () => (sockets.delete(ws), requester.abort()));
      ws.on('message', (data) => void answer(ws, caller, data.toString()));
    });
  });

  async function answer(ws: WebSocket, caller: Caller, text: string): Promise<void> {
    let message: ClientMessage;
    try {
      message = decodeWire(text) as ClientMessage;
    } catch {
      return ws.close(1003, 'messages must be JSON');
    }
    if (message?.type !== 'call' || typeof message.id !== 'number' || typeof message.name !== 'string') {
      return ws.close(1003, 'expected {type: "call", id, name, input}');
    }
    const envelope = await studio.dispatch(message.name, message.input, caller);
    if (ws.readyState === ws.OPEN) ws.send(encodeWire({ type: 'result', id: message.id, ...envelope } satisfies ServerMessage));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  }).catch(async (error: unknown) => {
    await studio.close();
    throw error;
  });
  port = (server.address() as { port: number }).port;

  return {
    url: `http://${LOOPBACK}:${port}${scope}?token=${token}`,
    port,
    token,
    studio,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await studio.close();
    },
  };
}
