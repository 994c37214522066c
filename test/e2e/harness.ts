/**
 * Starts the studio the way the tests and screenshots use it: the loopback bridge on a
 * temporary data folder with the real engine, and Debian's Chromium driven by Playwright.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../main/bridge/server';
import type { HubOptions } from '../../main/studio/downloads';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDir = path.join(repoRoot, 'dist', 'renderer');
export const VIEWPORT = { width: 1280, height: 800 };
export const CHROMIUM = process.env.PARTI_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** A production build, as `npm run build:renderer` makes it (test runners set NODE_ENV=test, which Vite would honour). */
export function buildRenderer(): void {
  execFileSync(path.join(repoRoot, 'node_modules', '.bin', 'vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * The embedded model when the repository has one; otherwise the tiny test package, so that
 * the studio's flows are still exercised end to end with the real engine.
 */
export function embeddedModelsDir(): string | undefined {
  const embedded = path.join(repoRoot, 'native-models');
  const hasPackage = fs
    .readdirSync(embedded, { withFileTypes: true })
    .some((entry) => entry.isDirectory() && fs.existsSync(path.join(embedded, entry.name, 'manifest.json')));
  return hasPackage ? undefined : path.join(repoRoot, 'test', 'fixtures');
}

export interface RunningStudio {
  bridge: Bridge;
  dataDir: string;
  close(): Promise<void>;
}

export async function startStudio(
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-e2e-')),
  options: { hub?: HubOptions } = {},
): Promise<RunningStudio> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) buildRenderer();
  const modelsDir = embeddedModelsDir();
  const bridge = await startBridge({
    dataDir,
    rendererDir,
    ...(modelsDir ? { embeddedModelsDir: modelsDir } : {}),
    ...(options.hub ? { hub: options.hub } : {}),
    log: () => undefined,
  });
  await bridge.studio.ready;
  return {
    bridge,
    dataDir,
    close: async () => {
      await bridge.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function openStudioPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
  const page = await context.newPage();
  // Page errors fail loudly instead of showing up as a mysterious timeout.
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
  return page;
}
