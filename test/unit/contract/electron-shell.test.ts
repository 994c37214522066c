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
  utilityForks: [] as { entry: string; options: Record<string, unknown>; posted: unknown[]; listeners: Map<string, (value: unknown) => void>; killed: boolean }[],
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => (electron.invoked.push([channel, input]), { ok: true, value: 'ok' }),
    on: vi.fn(),
    off: vi.fn(),
  },
  shell: { openExternal: async (url: string) => void electron.opened.push(url) },
  utilityProcess: {
    fork(entry: string, _args: string[], options: Record<string, unknown>) {
      const record = { entry, options, posted: [] as unknown[], listeners: new Map<string, (value: unknown) => void>(), killed: false };
      electron.utilityForks.push(record);
      const listen = (event: string, listener: (value: unknown) => void) => void record.listeners.set(event, listener);
      return { on: listen, once: listen, postMessage: (message: unknown) => record.posted.push(message), kill: () => (record.killed = true) };
    },
  },
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

describe('permissions', () => {
  type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
  type CheckHandler = (contents: unknown, permission: string, requestingOrigin: string) => boolean;
  let request: RequestHandler;
  let check: CheckHandler;
  let device: () => boolean;
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => (request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => (check = handler),
    setDevicePermissionHandler: (handler: () => boolean) => (device = handler),
  };
  const granted = (permission: string, requestingUrl: string) => {
    let answer: boolean | undefined;
    request(null, permission, (value) => (answer = value), { requestingUrl });
    return answer;
  };

  test('every request and check is denied, except clipboard writes from the app page', async () => {
    const { denyPermissions, APP_URL, APP_ORIGIN } = await import('../../../main/electron/window');
    denyPermissions(session as never);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb', 'unknown']) {
      expect(granted(permission, APP_URL), permission).toBe(false);
      expect(check(null, permission, APP_ORIGIN), permission).toBe(false);
    }
    expect(granted('clipboard-sanitized-write', APP_URL)).toBe(true);
    expect(check(null, 'clipboard-sanitized-write', APP_ORIGIN)).toBe(true);
    expect(granted('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'https://example.com')).toBe(false);
    expect(device()).toBe(false);
  });
});

describe('engine process', () => {
  test('is a utility process speaking the engine protocol, its end reported in words', async () => {
    const { utilityEngineLauncher } = await import('../../../main/electron/engine-process');
    const channel = utilityEngineLauncher('/app/dist/main/engine-process.js')();
    const fork = electron.utilityForks.at(-1)!;
    expect(fork).toMatchObject({ entry: '/app/dist/main/engine-process.js', options: { serviceName: 'Parti Studio engine' } });
    const received: unknown[] = [];
    const ends: string[] = [];
    channel.onMessage((message) => received.push(message));
    channel.onExit((how) => ends.push(how));
    channel.send({ type: 'cancel', id: 3 });
    expect(fork.posted).toEqual([{ type: 'cancel', id: 3 }]);
    fork.listeners.get('message')!({ type: 'warning', message: 'hello' });
    expect(received).toEqual([{ type: 'warning', message: 'hello' }]);
    fork.listeners.get('exit')!(134);
    expect(ends).toEqual(['exit code 134']);
    channel.kill();
    expect(fork.killed).toBe(true);
  });
});
