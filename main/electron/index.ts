/**
 * Electron wiring only: app lifecycle, the `parti://` protocol (renderer and gallery
 * images, nothing outside them), IPC registration for the contract, and the native
 * dialogs, file manager and drag-out the Electron host provides.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, clipboard, ClipboardItem, dialog, ipcMain, nativeImage, protocol, session, shell } from 'electron';
import { callChannel, calls, eventChannel } from '../common/contract';
import { createStudio, EXPORT_FORMATS, writeBoardFolder, writeExportsToFolder, type Host, type Studio } from '../studio/index';
import { dataDirFromArgs, ELECTRON_SQLITE_BINDING, readDataLocation, writeDataLocation } from '../library/index';
import { ENGINE_BUNDLE_NAME } from '../engine/process/engine-process';
import { utilityEngineLauncher } from './engine-process';
import { CONTENT_SECURITY_POLICY, createMainWindow, denyPermissions, isAppUrl, lockDown } from './window';
import { contentTypeOf } from '../studio/pages';

/** dist/main/index.js -> the app root (repository, or the packaged app). */
const appRoot = fileURLToPath(new URL('../../', import.meta.url));
const rendererDir = path.join(appRoot, 'dist', 'renderer');
const preloadPath = path.join(appRoot, 'dist', 'preload', 'index.cjs');
const engineEntry = path.join(appRoot, 'dist', 'main', `${ENGINE_BUNDLE_NAME}.js`);
const embeddedModelsDir = app.isPackaged ? path.join(process.resourcesPath, 'native-models') : path.join(appRoot, 'native-models');

protocol.registerSchemesAsPrivileged([
  { scheme: 'parti', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;

const electronHost: Host = {
  kind: 'electron',
  imageUrl: (id) => `parti://image/${encodeURIComponent(id)}`,
  async reveal(filePath) {
    shell.showItemInFolder(filePath);
    return true;
  },
  async copyImage(filePath, text) {
    const png = new Blob([fs.readFileSync(filePath)], { type: 'image/png' });
    await clipboard.write([new ClipboardItem({ 'image/png': png, 'text/plain': text })]);
    return true;
  },
  async deliverExport(files, several) {
    const parent = mainWindow ?? undefined;
    if (several) {
      const folder = await chooseFolder('Export the selected images to a folder');
      return folder === null ? { kind: 'cancelled' } : { kind: 'saved', paths: writeExportsToFolder(folder, files) };
    }
    const file = files[0]!;
    const format = Object.values(EXPORT_FORMATS).find((f) => f.extension === file.extension)!;
    const options = {
      defaultPath: path.join(app.getPath('pictures'), file.baseName + file.extension),
      filters: [{ name: format.label, extensions: [file.extension.slice(1)] }],
    };
    // The native dialog asks before replacing an existing file.
    const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { kind: 'cancelled' };
    fs.writeFileSync(choice.filePath, file.bytes);
    return { kind: 'saved', paths: [choice.filePath] };
  },
  async deliverBoard(files, boardName) {
    const folder = await chooseFolder(`Export the board "${boardName}": choose where its folder goes`);
    return folder === null ? { kind: 'cancelled' } : { kind: 'saved', paths: writeBoardFolder(folder, boardName, files) };
  },
  chooseFolder,
  nextDataDir: {
    get: () => readDataLocation(app.getPath('userData')),
    set: (dir) => writeDataLocation(app.getPath('userData'), dir),
  },
};

async function chooseFolder(title: string): Promise<string | null> {
  const options = { title, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const choice = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return choice.canceled ? null : (choice.filePaths[0] ?? null);
}

function respondWithFile(file: string | undefined, type?: string): Response {
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) return new Response('Not found', { status: 404 });
  return new Response(fs.readFileSync(file), {
    headers: {
      'Content-Type': type ?? contentTypeOf(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** `parti://app/<file>` serves the built renderer; `parti://image/<id>` a gallery image; nothing else. */
function registerProtocol(studio: Studio): void {
  protocol.handle('parti', (request) => {
    const url = new URL(request.url);
    const name = decodeURIComponent(url.pathname.slice(1));
    if (url.host === 'image') return respondWithFile(studio.imageFile(name), 'image/png');
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const file = path.resolve(rendererDir, name || 'index.html');
    return respondWithFile(file.startsWith(rendererDir + path.sep) ? file : undefined);
  });
}

function registerIpc(studio: Studio): void {
  for (const { wireName } of calls) {
    ipcMain.handle(callChannel(wireName), (event, input: unknown) => {
      // Only the app's own page may call; a frame from anywhere else gets nothing.
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
        return { ok: false, error: 'Calls are accepted from the Parti Studio window only.' };
      }
      return studio.dispatch(wireName, input, {
        startDrag(file) {
          const icon = nativeImage.createFromPath(file).resize({ width: 64, height: 64 });
          event.sender.startDrag({ file, icon });
          return true;
        },
      });
    });
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const dataDir = dataDirFromArgs(process.argv) ?? readDataLocation(userData) ?? userData;
  const studio = createStudio({
    dataDir,
    host: electronHost,
    send(wireName, payload) {
      for (const window of BrowserWindow.getAllWindows()) window.webContents.send(eventChannel(wireName), payload);
    },
    embeddedModelsDir,
    launchEngine: utilityEngineLauncher(engineEntry),
    // Packaged apps carry a build for Electron (electron-builder); `npm start` keeps one aside.
    ...(app.isPackaged ? {} : { sqliteBinding: path.join(appRoot, ELECTRON_SQLITE_BINDING) }),
  });
  denyPermissions(session.defaultSession);
  registerProtocol(studio);
  registerIpc(studio);
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  mainWindow = createMainWindow(preloadPath);
  mainWindow.on('closed', () => (mainWindow = null));

  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void studio.close().finally(() => app.quit());
  });
}

app.setName('Parti Studio');
if (!app.requestSingleInstanceLock()) {
  app.quit(); // one instance per library: a second would write the same database
} else {
  app.on('second-instance', () => mainWindow?.focus());
  start().catch((error: unknown) => {
    dialog.showErrorBox('Parti Studio could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}
