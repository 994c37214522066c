/**
 * The Electron side without an Electron binary: `electron` is replaced by a recording fake,
 * so the preload's exposed API and the window's security settings can be checked.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as [string, unknown][],
  windows: [] as { options: Record<string, unknown>; url?: string }[],
  opened: [] as string[],
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => (electron.invoked.push([channel, input]), { ok: true, value: 'ok' }),
    on: vi.fn(),
    off: vi.fn(),
  },
  shell: { openExternal: async (url: string) => void electron.opened.push(url) },
  BrowserWindow: class {
    private readonly record: { options: Record<string, unknown>; url?: string };
    constructor(options: Record<string, unknown>) {
      this.record = { options };
      electron.windows.push(this.record);
    }
    once() {}
    async loadURL(url: string) {
      this.record.url = url;
    }
  },
}));

describe('preload', () => {
  test('exposes only `parti`, with the contract API and nothing generic', async () => {
    await import('../../../preload/index');
    expect([...electron.exposed.keys()]).toEqual(['parti']);
    const api = electron.exposed.get('parti') as Record<string, Record<string, unknown>>;
    const flat = Object.values(api).flatMap((domain) => Object.keys(domain));
    for (const generic of ['send', 'invoke', 'on', 'ipcRenderer']) {
      expect(Object.keys(api)).not.toContain(generic);
      expect(flat).not.toContain(generic);
    }
    expect(await (api.gallery!.get as (input: unknown) => Promise<unknown>)({ id: 'a' })).toBe('ok');
    expect(electron.invoked).toEqual([['parti:call:gallery.get', { id: 'a' }]]);
  });
});

describe('window', () => {
  type Handler = (...args: unknown[]) => unknown;
  let handlers: Map<string, Handler>;
  let openHandler: Handler;
  const contents = {
    on: (event: string, handler: Handler) => handlers.set(event, handler),
    setWindowOpenHandler: (handler: Handler) => (openHandler = handler),
  };
  beforeEach(() => {
    handlers = new Map();
  });

  test('is isolated, sandboxed, without Node, and loads the app protocol', async () => {
    const { createMainWindow, APP_URL } = await import('../../../main/electron/window');
    createMainWindow('/app/preload.cjs');
    const { options, url } = electron.windows.at(-1)!;
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
    expect(url).toBe(APP_URL);
  });

  test('blocks navigation away from the app, new windows and webviews', async () => {
    const { lockDown, CONTENT_SECURITY_POLICY } = await import('../../../main/electron/window');
    lockDown(contents as never);
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      handlers.get('will-navigate')!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('parti://app/index.html')).toBe(false);
    expect(openHandler({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'parti://app/index.html' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['https://example.com/']);
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
