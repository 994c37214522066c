/**
 * What any web page (or a broken client) can send to the bridge's port: each attack is
 * refused or closes only its own connection, and the bridge, in its own process so that a
 * crash shows, still serves its page afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const helper = fileURLToPath(new URL('./bridge-process.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-wire-'));
const rendererDir = path.join(temp, 'renderer');

let child: ChildProcess;
let url: string;
let port: number;
let token: string;
let exited: string | null = null;

beforeAll(async () => {
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Parti Studio</title>');
  child = spawn(tsx, [helper, path.join(temp, 'data'), rendererDir, fixtures], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.on('exit', (code, signal) => (exited = `exited ${code ?? signal}: ${stderr}`));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    child.once('exit', () => reject(new Error(exited ?? 'bridge exited')));
  });
  ({ url, port, token } = JSON.parse(line) as { url: string; port: number; token: string });
});
afterAll(() => {
  child?.kill('SIGTERM');
  fs.rmSync(temp, { recursive: true, force: true });
});

/** Writes `bytes` to the bridge's port; resolves with what came back once the peer closed (or after 2 s). */
function exchange(...writes: Buffer[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => (clearTimeout(timer), socket.destroy(), resolve(Buffer.concat(chunks)));
    const timer = setTimeout(done, 2000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', done);
    socket.on('error', done);
    socket.on('connect', () => {
      for (const bytes of writes) socket.write(bytes);
    });
  });
}

const upgrade = (target: string): Buffer =>
  Buffer.from(
    [
      `GET ${target} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );

/** A client frame: `first` is FIN/RSV/opcode; masked unless told otherwise; `length` may claim more than is sent. */
function frame(first: number, payload: Buffer, { masked = true, length = payload.length } = {}): Buffer {
  const mask = randomBytes(4);
  const header =
    length < 126
      ? Buffer.from([first, (masked ? 0x80 : 0) | length])
      : Buffer.concat([Buffer.from([first, (masked ? 0x80 : 0) | 127]), bigLength(length)]);
  const body = masked ? Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!)) : payload;
  return Buffer.concat([header, masked ? mask : Buffer.alloc(0), body]);
}

function bigLength(length: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(length));
  return bytes;
}

/** The close code the bridge answered a frame with (0 when it sent no close frame). */
function closeCode(reply: Buffer): number {
  const afterHandshake = reply.subarray(reply.indexOf('\r\n\r\n') + 4);
  return afterHandshake[0] === 0x88 ? afterHandshake.readUInt16BE(2) : 0;
}

async function pageStillServed(): Promise<void> {
  const reply = await fetch(url);
  expect(reply.status).toBe(200);
  expect(await reply.text()).toContain('Parti Studio');
  expect(exited).toBeNull();
}

describe('wire attacks leave the bridge serving', () => {
  test('an upgrade to a malformed path, without a token, is refused', async () => {
    const reply = (await exchange(upgrade('//['))).toString();
    expect(reply).toMatch(/^HTTP\/1\.1 (400|403) /);
    await pageStillServed();
  });

  test.each([
    ['a frame with RSV1 set', frame(0xc1, Buffer.from('{}')), 1002],
    ['a reserved opcode', frame(0x83, Buffer.from('{}')), 1002],
    ['an unmasked frame', frame(0x81, Buffer.from('{}'), { masked: false }), 1002],
    ['invalid UTF-8 in a text frame', frame(0x81, Buffer.from([0xff, 0xfe, 0xfd])), 1007],
    ['a frame over the size limit', frame(0x81, Buffer.from('{"type":'), { length: 200 * 1024 * 1024 }), 1009],
  ])('%s closes that socket with a protocol error', async (_attack, bytes, code) => {
    const reply = await exchange(upgrade(`/ws?token=${token}`), bytes);
    expect(reply.toString()).toMatch(/^HTTP\/1\.1 101 /);
    expect(closeCode(reply)).toBe(code);
    await pageStillServed();
  });
});
