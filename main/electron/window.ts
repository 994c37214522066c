/**
 * The one secure window: isolated, sandboxed, no Node in the page, a strict CSP, no
 * navigation or new windows away from the app's own protocol, and no permissions.
 */
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../studio/pages';

/** The renderer's origin: everything the window shows comes from here. */
export const APP_ORIGIN = 'parti://app';
export const APP_URL = `${APP_ORIGIN}/index.html`;

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy({ images: ['parti:', 'data:', 'blob:'], connect: ['parti:', 'data:', 'blob:'] });

export const isAppUrl = (url: string): boolean => url.startsWith(`${APP_ORIGIN}/`);

/** Applied to every web contents the app creates: no navigation away, no pop-ups, no webviews. */
export function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The one permission the page uses, and only from the app's origin: writing text to the clipboard (copy prompt). */
const PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * Every permission request and check is refused (camera, microphone, notifications,
 * geolocation, clipboard reading, devices, …) except PAGE_PERMISSIONS for the app's page.
 */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(PAGE_PERMISSIONS.has(permission) && isAppUrl(details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => PAGE_PERMISSIONS.has(permission) && requestingOrigin === APP_ORIGIN);
  session.setDevicePermissionHandler(() => false);
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#16161a',
    title: 'Parti Studio',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Middle-click would open links through a path the window-open handler does not see.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_URL);
  return window;
}
