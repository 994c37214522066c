/** The contract at the boundary: bad payloads are refused with messages that say what is wrong. */
import { describe, expect, test } from 'vitest';
import { buildApi, PartiCallError } from '../../../main/common/proxy';
import { calls, contract, events, type Envelope } from '../../../main/common/contract';
import { decodeWire, encodeWire } from '../../../main/common/wire';
import { createDispatcher, createEmitter, type Handlers } from '../../../main/ipc/dispatch';
import { UserError } from '../../../main/studio/errors';

const caller = { startDrag: () => false };
const settings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 };
const item = {
  id: 'abc',
  parameters: { kind: 'generate', prompt: 'a red circle', seed: 1, settings, modelId: 'm' },
  provider: 'cpu',
  createdAt: 1,
  favourite: false,
  runId: 'a',
  missing: false,
  url: '/image/abc',
};

/** Handlers that answer every call with a canned value (overridable per call). */
function stubHandlers(overrides: Record<string, (input: unknown) => unknown> = {}): Handlers {
  const handlers: Record<string, Record<string, (input: unknown) => unknown>> = {};
  for (const { domain, name, wireName } of calls) {
    (handlers[domain] ??= {})[name] = overrides[wireName] ?? (() => ({ items: [], total: 0, offset: 0 }));
  }
  return handlers as unknown as Handlers;
}

const errorOf = async (wireName: string, input: unknown, overrides = {}) => {
  const logged: string[] = [];
  const envelope = await createDispatcher(stubHandlers(overrides), (m) => logged.push(m))(wireName, input, caller);
  expect(envelope.ok).toBe(false);
  return (envelope as { error: string }).error;
};

describe('the contract', () => {
  test('lists every call and event once, by domain.name', () => {
    const names = [...calls, ...events].map((entry) => entry.wireName);
    expect(new Set(names).size).toBe(names.length);
    for (const wanted of [
      'generation.start', 'generation.cancel', 'generation.current', 'generation.progress', 'generation.finished',
      'edit.regenerate', 'edit.maskCells', 'gallery.list', 'gallery.setFavourite', 'gallery.trash', 'gallery.restore',
      'prompts.list', 'prompts.record', 'prompts.pin', 'prompts.unknownWords', 'files.importImage',
      'files.readParameters', 'export.image', 'export.images', 'settings.get', 'settings.set', 'settings.changed',
      'library.info', 'library.reveal',
    ]) expect(names).toContain(wanted);
  });

  test('the API built from it has exactly its calls and on<Event> functions, no generic send/invoke', async () => {
    const sent: [string, unknown][] = [];
    const api = buildApi({
      call: async (wireName, input) => (sent.push([wireName, input]), { ok: true, value: 'fine' }),
      subscribe: () => () => undefined,
    });
    for (const [domain, defs] of Object.entries(contract)) {
      const expected = Object.entries(defs).map(([name, def]) =>
        def.kind === 'call' ? name : `on${name[0]!.toUpperCase()}${name.slice(1)}`,
      );
      expect(Object.keys(api[domain as keyof typeof api]).sort()).toEqual(expected.sort());
    }
    expect(Object.keys(api).sort()).toEqual(Object.keys(contract).sort());
    expect(await api.gallery.get({ id: 'x' })).toBe('fine');
    expect(sent).toEqual([['gallery.get', { id: 'x' }]]);
  });

  test('a refused call throws an Error with main\'s message as is', async () => {
    const api = buildApi({
      call: async (): Promise<Envelope> => ({ ok: false, error: 'No image with id "x".' }),
      subscribe: () => () => undefined,
    });
    const error = await api.gallery.get({ id: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartiCallError);
    expect((error as Error).message).toBe('No image with id "x".');
  });
});

describe('validation at the boundary', () => {
  test('unknown calls are refused', async () => {
    expect(await errorOf('gallery.drop', {})).toBe('Unknown call "gallery.drop".');
  });

  test.each([
    ['generation.start', { prompt: '   ', settings, seed: null }, 'prompt: the prompt is empty'],
    ['generation.start', { prompt: 'x', settings: { ...settings, temperature: 0 }, seed: null }, 'settings.temperature: temperature must be above 0'],
    ['generation.start', { prompt: 'x', settings, seed: -1 }, 'seed: Too small'],
    ['generation.start', { prompt: 'x', settings }, 'seed: Invalid input'],
    ['generation.cancel', { jobId: '../j' }, 'jobId: expected an id'],
    ['gallery.list', { limit: 0 }, 'limit: Too small'],
    ['gallery.list', { favourites: true }, 'Unrecognized key: "favourites"'],
    ['gallery.get', { id: '../../etc/passwd' }, 'id: expected an id'],
    ['gallery.trash', { ids: [] }, 'ids: no image selected'],
    ['gallery.setFavourite', { id: 'a', favourite: 'yes' }, 'favourite: Invalid input: expected boolean'],
    ['edit.maskCells', { mask: { width: 2, height: 2, data: new Uint8Array(3) } }, 'mask: mask data must hold width × height bytes'],
    ['files.importImage', { name: 'a.png', bytes: [1, 2, 3] }, 'bytes: expected binary data'],
    ['files.importImage', { name: 'a.png', bytes: new Uint8Array(0) }, 'bytes: the file is empty'],
    ['export.image', { id: 'a', options: { format: 'gif', scale: 1, resample: 'nearest', nameTemplate: 'x' } }, 'options.format'],
    ['export.image', { id: 'a', options: { format: 'png', scale: 3, resample: 'nearest', nameTemplate: 'x' } }, 'options.scale'],
    ['settings.set', { executionProvider: 'tpu' }, 'executionProvider'],
    ['settings.get', { anything: 1 }, '(payload): Invalid input: expected undefined'],
    ['gallery.list', 'not an object', '(payload): Invalid input'],
  ])('%s refuses %j', async (wireName, input, message) => {
    const error = await errorOf(wireName, input);
    expect(error.startsWith(`${wireName}: invalid request: `)).toBe(true);
    expect(error).toContain(message);
  });

  test('defaults are filled in before the handler runs', async () => {
    let seen: unknown;
    const handlers = stubHandlers({ 'gallery.list': (query) => ((seen = query), { items: [], total: 0, offset: 0 }) });
    expect((await createDispatcher(handlers)('gallery.list', {}, caller)).ok).toBe(true);
    expect(seen).toEqual({ offset: 0, limit: 100, search: '', favouritesOnly: false });
  });

  test('a handler\'s UserError reaches the renderer as is; other errors are logged and named', async () => {
    expect(await errorOf('gallery.get', { id: 'a' }, { 'gallery.get': () => { throw new UserError('No image with id "a".'); } })).toBe(
      'No image with id "a".',
    );
    expect(await errorOf('gallery.get', { id: 'a' }, { 'gallery.get': () => { throw new Error('disk on fire'); } })).toBe(
      'gallery.get failed: disk on fire',
    );
  });

  test('a result that breaks the contract is not sent', async () => {
    expect(await errorOf('gallery.get', { id: 'a' }, { 'gallery.get': () => ({ ...item, seed: 'one' }) })).toBe(
      'gallery.get: internal error (the result did not match the contract).',
    );
    const ok = await createDispatcher(stubHandlers({ 'gallery.get': () => item }))('gallery.get', { id: 'a' }, caller);
    expect(ok).toEqual({ ok: true, value: item });
  });

  test('events are validated before they are sent', () => {
    const sent: string[] = [];
    const logged: string[] = [];
    const emit = createEmitter((name) => sent.push(name), (m) => logged.push(m));
    emit('gallery', 'changed', { reason: 'added', ids: ['a'] });
    emit('gallery', 'changed', { reason: 'exploded' as 'added', ids: ['a'] });
    expect(sent).toEqual(['gallery.changed']);
    expect(logged[0]).toContain('event gallery.changed not sent');
  });
});

test('the bridge wire format carries binary data intact', () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);
  const decoded = decodeWire(encodeWire({ a: { bytes, n: 1 }, list: [Buffer.from([1, 2])] })) as {
    a: { bytes: Uint8Array; n: number };
    list: Uint8Array[];
  };
  expect(decoded.a.bytes).toBeInstanceOf(Uint8Array);
  expect([...decoded.a.bytes]).toEqual([...bytes]);
  expect([...decoded.list[0]!]).toEqual([1, 2]);
  expect(decodeWire('{"$bytes":"AQI=","other":1}')).toEqual({ $bytes: 'AQI=', other: 1 });
});
