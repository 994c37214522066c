/**
 * The model manager end to end, in Chromium through the bridge, against a mock Hugging Face
 * Hub on 127.0.0.1 serving the tiny Janus replica: the model list in Settings, a download
 * with its progress bar, choosing the replica, then generating with live previews, marking a favourite,
 * editing by mask and exporting a PNG whose parameters name the model.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startMockHub, type MockHub } from '../mock-hub';
import { chromiumAvailable, launchChromium, openStudioPage, startStudio, type RunningStudio } from './harness';
import { readPngInfo } from './png';
import { favourite, openInEditor, paintStroke, waitForCandidates } from './studio-actions';

const REPLICA = fileURLToPath(new URL('../fixtures/hf/janus-tiny/', import.meta.url));
const REPO = 'tiny/janus-tiny';
const MODEL = 'tiny--janus-tiny';
const PROMPT = 'a red apple on a table';
const UI_TIMEOUT_MS = 30_000;

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 100 });

describe.skipIf(!chromiumAvailable()).sequential('model manager in the browser', () => {
  let hub: MockHub;
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Slow enough for the progress bar to be seen part-way.
    hub = await startMockHub({ [REPO]: { dir: REPLICA, modelCard: '---\nlicense: mit\n---\n' } }, { chunkBytes: 16 * 1024, chunkIntervalMs: 15 });
    studio = await startStudio(undefined, { hub: { hubUrl: hub.url } });
    browser = await launchChromium();
    page = await openStudioPage(browser, studio.bridge.url);
    page.setDefaultTimeout(UI_TIMEOUT_MS);
  });
  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    await hub?.close();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') console.log(`Page at failure:\n${await page.locator('body').ariaSnapshot()}`);
  });

  test('Settings lists the embedded model with its family, size, licence and origin', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    const installed = page.getByRole('list', { name: 'Installed models' });
    const embedded = installed.getByRole('listitem').first();
    await embedded.waitFor();
    expect(await embedded.textContent()).toMatch(/in use.*shapes · fp32 · [\d.]+ (KB|MB) · licence not stated · embedded/);
  });

  test('downloads the replica from the mock Hub with a progress bar, then lists it', async () => {
    const models = page.getByRole('region', { name: 'Models' });
    await models.getByRole('textbox', { name: 'Hugging Face repository id' }).fill(REPO);
    await models.getByRole('button', { name: 'Check download sizes' }).click();
    const precision = models.getByRole('combobox', { name: 'Precision to download' });
    await eventually(() => precision.locator('option').allTextContents()).toEqual([expect.stringMatching(/^q4 · [\d.]+ KB in 13 files$/), expect.stringMatching(/^fp32 · [\d.]+ (KB|MB) in 13 files$/)]);
    await models.getByRole('button', { name: `Download ${REPO}` }).click();

    const bar = models.getByRole('progressbar', { name: `Download of ${REPO}` });
    await bar.waitFor();
    await eventually(async () => Number(await bar.getAttribute('value'))).toBeGreaterThan(0);
    const row = models.getByRole('listitem', { name: `Download of ${REPO}` });
    await eventually(() => row.textContent()).toMatch(/of [\d.]+ KB · [\d.]+ (KB|MB)\/s · (about \d+ s left|almost done)/);

    const downloaded = page.getByRole('list', { name: 'Installed models' }).getByRole('listitem', { name: MODEL });
    await downloaded.waitFor();
    expect(await downloaded.textContent()).toMatch(/janus · q4 · [\d.]+ KB · licence mit · Hugging Face tiny\/janus-tiny @ main \(q4\)/);
    await eventually(() => bar.count()).toBe(0);
  });

  test('choosing the replica puts it in use', async () => {
    await page.getByRole('button', { name: `Use ${MODEL}` }).click();
    await page.getByText(`In use: ${MODEL}`).waitFor();
    await page.getByRole('list', { name: 'Installed models' }).getByRole('listitem', { name: MODEL }).getByText('in use').waitFor();
  });

  test('generates with live previews (saved by main), favourites, edits by mask and exports a PNG naming the model', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Studio' }).click();
    // Every partial image the page shows, recorded as it appears.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { previewsSeen: string[] }).previewsSeen = seen;
      new MutationObserver(() => {
        for (const img of document.querySelectorAll('img[alt*="% drawn"]')) seen.push(img.getAttribute('alt')!);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['alt', 'src'] });
    });
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(PROMPT);
    await page.getByRole('button', { name: 'Generate' }).click();
    await waitForCandidates(page);
    const previews = await page.evaluate(() => (window as unknown as { previewsSeen: string[] }).previewsSeen);
    expect(previews.some((alt) => /^Candidate 1, (\d|[1-9]\d)% drawn$/.test(alt))).toBe(true);
    await favourite(page);

    await openInEditor(page, 0);
    const editor = page.getByRole('region', { name: 'Editor' });
    await paintStroke(page, [
      [0.2, 0.2],
      [0.6, 0.3],
      [0.5, 0.6],
    ]);
    await editor.getByText(/cells will be regenerated/).waitFor();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a green apple on a table');
    await editor.getByRole('button', { name: 'Regenerate' }).click();
    await waitForCandidates(page);
    await favourite(page);
    await editor.getByRole('button', { name: 'Close editor' }).click();

    const gallery = page.getByRole('region', { name: 'Gallery' });
    await gallery.getByRole('img', { name: 'a green apple on a table', exact: true }).first().click();
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: /PNG/ }).check();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export' }).click()]);
    const bytes = new Uint8Array(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks)));
    const png = readPngInfo(bytes);
    expect([png.width, png.height]).toEqual([384, 384]);
    expect(JSON.parse(png.text['parti-studio'] ?? 'null')).toMatchObject({ kind: 'edit', prompt: 'a green apple on a table', modelId: MODEL });
  });
});
