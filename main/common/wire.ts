/**
 * JSON for the bridge's WebSocket, with `Uint8Array` values carried as base64
 * (`{"$bytes": "..."}`) so binary payloads survive the trip like they do over Electron IPC.
 * Runs in Node and in browsers (no Buffer).
 */
const BYTES_KEY = '$bytes';

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000; // keeps String.fromCharCode's argument list small
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeWire(value: unknown): string {
  // A replacer sees Buffers (and other views) already converted by their toJSON; convert first.
  return JSON.stringify(value, function replace(this: unknown, key: string, current: unknown) {
    const original = (this as Record<string, unknown>)[key];
    if (original instanceof Uint8Array) return { [BYTES_KEY]: bytesToBase64(original) };
    return current;
  });
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const encoded = record[BYTES_KEY];
      if (typeof encoded === 'string' && Object.keys(record).length === 1) return base64ToBytes(encoded);
    }
    return value;
  });
}

/** Messages on the bridge's WebSocket. */
export type ClientMessage = { type: 'call'; id: number; name: string; input: unknown };
export type ServerMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'event'; name: string; payload: unknown };
