/**
 * Where the end-to-end tests run the studio: in Chromium through the loopback bridge, and in
 * the Electron app itself where an Electron binary is installed. Both give the tests a page
 * and a way to collect an exported file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumAvailable, launchChromium, openStudioPage, repoRoot, startStudio, VIEWPORT, type RunningStudio } from './harness';
import { seedLibrary } from './seed-library';

export interface StudioSession {
  page: Page;
  /** Runs `exporting` (which ends by confirming the export) and returns the file it produced. */
  exportedFile(exporting: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }>;
  close(): Promise<void>;
}

export interface Target {
  name: string;
  /** Why this target cannot run here; null when it can. */
  unavailable(): string | null;
  start(): Promise<StudioSession>;
}

export const bridgeTarget: Target = {
  name: 'browser through the loopback bridge',
  unavailable: () => (chromiumAvailable() ? null : 'no Chromium at /usr/bin/chromium (set PARTI_CHROMIUM)'),
  async start() {
    const studio: RunningStudio = await startStudio();
    const browser: Browser = await launchChromium();
    const page = await openStudioPage(browser, studio.bridge.url);
    return {
      page,
      async exportedFile(exporting) {
        const [download] = await Promise.all([page.waitForEvent('download'), exporting()]);
        const file = await download.path();
        return { name: download.suggestedFilename(), bytes: new Uint8Array(fs.readFileSync(file)) };
      },
      async close() {
        await browser.close();
        await studio.close();
      },
    };
  },
};

function electronBinary(): string | null {
  try {
    const pathFile = path.join(repoRoot, 'node_modules', 'electron', 'path.txt');
    const binary = path.join(repoRoot, 'node_modules', 'electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export const electronTarget: Target = {
  name: 'Electron app',
  unavailable: () =>
    electronBinary() ? null : 'no Electron binary in node_modules/electron (offline installs skip its download, see README)',
  async start() {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-e2e-electron-'));
    const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-e2e-export-'));
    const app: ElectronApplication = await _electron.launch({
      executablePath: electronBinary()!,
      args: [repoRoot, '--data-dir', dataDir],
      cwd: repoRoot,
    });
    const page = await app.firstWindow();
    await page.setViewportSize(VIEWPORT);
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    return {
      page,
      async exportedFile(exporting) {
        // The native save dialog cannot be clicked: it answers with a file in a temporary folder.
        const target = path.join(exportDir, `export-${Date.now()}.png`);
        await app.evaluate(({ dialog }, filePath) => {
          dialog.showSaveDialog = async () => ({ canceled: false, filePath });
        }, target);
        await exporting();
        await page.waitForFunction(() => document.querySelector('dialog[open]') === null);
        return { name: path.basename(target), bytes: new Uint8Array(fs.readFileSync(target)) };
      },
      async close() {
        await app.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
        fs.rmSync(exportDir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * One studio in Chromium through the bridge for a whole suite: opened before its tests (UI
 * waits up to 15 s), handed to `ready` for the suite's own setup, closed after them.
 */
export function bridgeSuite(ready: (session: StudioSession) => Promise<void> | void): void {
  let session: StudioSession | undefined;
  beforeAll(async () => {
    session = await bridgeTarget.start();
    session.page.setDefaultTimeout(15_000);
    await ready(session);
  });
  afterAll(async () => {
    await session?.close();
  });
}

/**
 * A suite's studio in Chromium through the bridge on a data folder seeded with `count`
 * images (`seedLibrary`), in memory-backed scratch where the system has it.
 */
export function seededBridgeSuite(count: number, ready: (page: Page) => void): void {
  let studio: RunningStudio | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const scratch = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    const dataDir = fs.mkdtempSync(path.join(scratch, 'parti-e2e-seeded-'));
    seedLibrary(dataDir, count);
    studio = await startStudio(dataDir);
    browser = await launchChromium();
    const page = await openStudioPage(browser, studio.bridge.url);
    page.setDefaultTimeout(15_000);
    ready(page);
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });
}
