/**
 * The loopback bridge: bound to 127.0.0.1, nothing served or answered without the
 * per-launch token, and the whole contract usable through the browser client, driving the
 * real engine on the tiny test package.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request as browserRequests } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { connectBridge } from '../../../main/bridge/client';
import type { GenerationFinished, PartiApi } from '../../../main/common/contract';
import { startBridge, type Bridge } from '../../../main/bridge/server';
import { forkEngineLauncher } from '../../../main/engine/process/fork';
import { parametersIn } from '../../../main/studio/imports';
import { killEngineMidRun } from '../engine/engine-processes';

// The browser client uses the global WebSocket, which Node 20 lacks; `ws` is compatible.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-bridge-'));
const rendererDir = path.join(temp, 'renderer');
let bridge: Bridge;

beforeAll(async () => {
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Parti Studio</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(temp, 'secret.txt'), 'outside the renderer');
  bridge = await startBridge({
    dataDir: path.join(temp, 'data'),
    rendererDir,
    embeddedModelsDir: fixtures,
    log: () => undefined,
  });
  await bridge.studio.ready;
});
afterAll(async () => {
  await bridge?.close();
  fs.rmSync(temp, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(pathname: string, headers: http.OutgoingHttpHeaders = {}, host = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port: bridge.port, path: pathname, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}

const cookie = () => `parti_token=${bridge.token}`;
/** This launch's path prefix, e.g. `/Xy3…/`. */
const scope = () => new URL(bridge.url).pathname;

/** Opens a raw socket; resolves with "open" or the HTTP status the upgrade was refused with. */
function tryWebSocket(query: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws${query}`, { headers });
    socket.on('open', () => (socket.close(), resolve('open')));
    socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
    socket.on('error', () => resolve('error'));
  });
}

describe('access', () => {
  test('listens on loopback only and prints a URL carrying the token', async () => {
    expect(bridge.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/[\\w-]{12}/\\?token=${bridge.token}$`));
    expect(bridge.token.length).toBeGreaterThanOrEqual(32);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) await expect(get('/', {}, external.address)).rejects.toThrow(/ECONNREFUSED/);
  });

  test('pages need the token; the token page sets an HttpOnly cookie and a CSP', async () => {
    expect((await get(scope())).status).toBe(403);
    expect((await get(`${scope()}?token=wrong`)).status).toBe(403);
    expect((await get(`${scope()}assets/app.js`)).status).toBe(403);
    const page = await get(`${scope()}?token=${bridge.token}`);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('Parti Studio');
    expect(page.headers['set-cookie']?.[0]).toBe(`parti_token=${bridge.token}; HttpOnly; SameSite=Strict; Path=${scope()}`);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await get(`${scope()}assets/app.js`, { cookie: cookie() })).status).toBe(200);
    expect((await get('/assets/app.js', { cookie: cookie() })).status).toBe(404); // outside this launch's path
  });

  test('the token cookie goes to this bridge only: no other port gets it, a second bridge does not replace it', async () => {
    const cookiesSeen: (string | undefined)[] = [];
    const otherService = http.createServer((request, response) => (cookiesSeen.push(request.headers.cookie), response.end('other')));
    await new Promise<void>((resolve) => otherService.listen(0, '127.0.0.1', resolve));
    const otherPort = (otherService.address() as { port: number }).port;
    const second = await startBridge({ dataDir: path.join(temp, 'data-2'), rendererDir, embeddedModelsDir: fixtures, log: () => undefined });
    const browser = await browserRequests.newContext(); // keeps cookies as a browser does (RFC 6265: ports share them)
    try {
      expect((await browser.get(bridge.url)).status()).toBe(200);
      await browser.get(`http://127.0.0.1:${otherPort}/`);
      await browser.get(`http://127.0.0.1:${otherPort}/assets/app.js`);
      expect(cookiesSeen).toEqual([undefined, undefined]);
      expect((await browser.get(second.url)).status()).toBe(200);
      expect((await browser.get(new URL('assets/app.js', bridge.url).href)).status()).toBe(200);
      expect((await browser.get(new URL('assets/app.js', second.url).href)).status()).toBe(200);
    } finally {
      await browser.dispose();
      await second.close();
      otherService.close();
    }
  });

  test('starts its engine with the launcher it is given (a built bridge forks its built engine)', async () => {
    const launch = forkEngineLauncher();
    let launches = 0;
    const second = await startBridge({ dataDir: path.join(temp, 'data-launcher'), rendererDir, embeddedModelsDir: fixtures, launchEngine: () => (launches++, launch()), log: () => undefined });
    try {
      expect((await second.studio.ready).model).toBeTruthy();
      expect(launches).toBe(1);
    } finally {
      await second.close();
    }
  });

  test('refuses other Host names (DNS rebinding) and paths outside the renderer', async () => {
    expect((await get(`${scope()}?token=${bridge.token}`, { host: `evil.example:${bridge.port}` })).status).toBe(403);
    expect((await get(`${scope()}../secret.txt`, { cookie: cookie() })).status).toBe(404);
    expect((await get(`${scope()}%2e%2e/secret.txt`, { cookie: cookie() })).status).toBe(404);
    expect((await get(`${scope()}image/..%2F..%2Flibrary.db`, { cookie: cookie() })).status).toBe(404);
    expect((await get(`${scope()}image/nope`, { cookie: cookie() })).status).toBe(404);
    expect((await get(`${scope()}image/%E0%A4%A`, { cookie: cookie() })).status).toBe(400);
  });

  test('the socket needs the token and a loopback origin', async () => {
    expect(await tryWebSocket('')).toBe('403');
    expect(await tryWebSocket('?token=wrong')).toBe('403');
    expect(await tryWebSocket(`?token=${bridge.token}`, { Origin: 'http://evil.example' })).toBe('403');
    expect(await tryWebSocket(`?token=${bridge.token}`, { Origin: `http://127.0.0.1:${bridge.port}` })).toBe('open');
    expect(await tryWebSocket('', { Cookie: cookie() })).toBe('open');
  });

  test('a malformed message closes the socket with a reason', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws?token=${bridge.token}`);
    await new Promise((resolve) => socket.on('open', resolve));
    const closed = new Promise<[number, string]>((resolve) => socket.on('close', (code, reason) => resolve([code, reason.toString()])));
    socket.send('{"type":"hello"}');
    expect(await closed).toEqual([1003, 'expected {type: "call", id, name, input}']);
  });
});

describe('the contract through the bridge client', () => {
  let api: PartiApi;
  beforeAll(async () => {
    api = await connectBridge({ url: `ws://127.0.0.1:${bridge.port}/ws`, token: bridge.token });
  });

  test('reports the model and provider in use', async () => {
    const { runtime, settings } = await api.settings.get();
    expect(runtime).toMatchObject({ host: 'bridge', modelError: null, model: { id: 'tiny-test', grid: 8 } });
    expect(runtime.activeProvider).toMatch(/^cpu/);
    expect(settings.executionProvider).toBe('auto');
  });

  test('generate (saved by main), list, load the image, export with parameters, trash and undo', async () => {
    const finished = new Promise<GenerationFinished>((resolve) => api.generation.onFinished(resolve));
    let progressEvents = 0;
    api.generation.onProgress(() => progressEvents++);
    const settings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 2 };
    const { jobId, seed } = await api.generation.start({ prompt: 'a red circle', settings, seed: 7 });
    expect(seed).toBe(7);
    const result = await finished;
    if (result.outcome !== 'done') throw new Error(`generation ${result.outcome}`);
    expect(result.jobId).toBe(jobId);
    expect(result.candidates).toHaveLength(2);
    expect(progressEvents).toBeGreaterThan(0);

    const items = [await api.gallery.get({ id: result.candidates[0]!.imageId })];
    expect(items[0]).toMatchObject({ parameters: { prompt: 'a red circle', seed: 7 }, provider: expect.stringMatching(/^cpu/), runId: jobId });
    const page = await api.gallery.list({ search: 'red' });
    expect(page.items.map((i) => i.id)).toEqual(result.candidates.map((c) => c.imageId));

    const image = await get(items[0]!.url, { cookie: cookie() });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');

    const exported = await api.export.image({
      id: items[0]!.id,
      options: { format: 'png', scale: 2, resample: 'nearest', nameTemplate: '{prompt}-{seed}' },
    });
    if (exported.kind !== 'download') throw new Error('expected a download');
    expect(exported.files[0]!.fileName).toBe('a red circle-7.png');
    expect(parametersIn(exported.files[0]!.bytes)).toMatchObject({ prompt: 'a red circle', seed: 7 });
    expect((await api.files.readParameters({ name: 'x.png', bytes: exported.files[0]!.bytes })).parameters?.seed).toBe(7);

    const jpeg = await api.export.images({
      ids: [items[0]!.id, items[0]!.id],
      options: { format: 'jpeg', scale: 1, resample: 'smooth', nameTemplate: '{seed}' },
    });
    if (jpeg.kind !== 'download') throw new Error('expected a download');
    expect(jpeg.files.map((f) => f.fileName)).toEqual(['7.jpg', '7 (2).jpg']);
    expect((await api.files.readParameters({ name: '7.jpg', bytes: jpeg.files[0]!.bytes })).parameters).toBeNull();

    await api.gallery.trash({ ids: [items[0]!.id] });
    expect((await api.gallery.list()).total).toBe(1);
    await api.gallery.restore({ ids: [items[0]!.id] });
    expect((await api.gallery.list()).total).toBe(2);
    expect((await api.prompts.list()).items[0]).toMatchObject({ text: 'a red circle', count: 1 });
  });

  test('refusals arrive as errors with clear messages', async () => {
    await expect(api.gallery.get({ id: 'nope' })).rejects.toThrow('No image with id "nope"');
    await expect(api.files.importImage({ name: 'notes.txt', bytes: new TextEncoder().encode('hello') })).rejects.toThrow(
      '"notes.txt" is not an image this app can read; drop a PNG, JPEG or WebP image.',
    );
    await expect(api.settings.set({ modelPackage: path.join(temp, 'no-such-package') })).rejects.toThrow(
      /Could not open the model package/,
    );
    expect((await api.settings.get()).runtime.model?.id).toBe('tiny-test'); // the working model stays
    await expect(api.settings.chooseDataDir()).rejects.toThrow('npm run serve -- --data-dir DIR');
  });

  test('a SIGKILLed engine process fails its run over the socket; the bridge keeps serving and the next run works', async () => {
    const { engine, finished } = killEngineMidRun(api);
    expect(engine).toBeTypeOf('number');
    const settings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 32 };
    const crashed = await api.generation.start({ prompt: 'a green triangle', settings, seed: 1 });
    await expect.poll(() => finished.get(crashed.jobId), { timeout: 60_000 }).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/^The engine stopped during this run \(killed by SIGKILL/) });

    expect((await get(scope(), { cookie: cookie() })).status).toBe(200);
    const next = await api.generation.start({ prompt: 'a yellow cross', settings: { ...settings, candidates: 2 }, seed: 2 });
    await expect.poll(() => finished.get(next.jobId), { timeout: 60_000 }).toMatchObject({ outcome: 'done', candidates: [{}, {}] });
  });
});
