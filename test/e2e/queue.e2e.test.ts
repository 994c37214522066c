/**
 * Issue 13 item 4, the queue, in Chromium through the bridge: runs queued while one is
 * going, reordered by button, keys and drag, one cancelled; a reload mid-queue; a restart of
 * the bridge on the same data folder. This suite holds its own bridge, to restart it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startBridge, type Bridge } from '../../main/bridge/server';
import { chromiumAvailable, embeddedModelsDir, launchChromium, openStudioPage, rendererDir, startStudio, type RunningStudio } from './harness';

const eventually = <T>(read: () => Promise<T>, timeout = 15_000) => expect.poll(read, { timeout, interval: 100 });
const RUN_TIMEOUT_MS = 120_000;

describe.skipIf(!chromiumAvailable()).sequential('the queue', () => {
  let studio: RunningStudio;
  let relaunched: Bridge | null = null;
  let browser: Browser;
  let page: Page;
  const queue = () => page.getByRole('region', { name: 'Queue' });
  const entry = (prompt: string) => queue().getByRole('listitem').filter({ has: page.getByText(prompt, { exact: true }) });
  /** Each entry as "prompt: status", in the order shown. */
  const line = () =>
    queue()
      .getByRole('listitem')
      .evaluateAll((items) => items.map((item) => `${item.querySelector('.queue-prompt')?.textContent}: ${item.querySelector('.queue-status')?.textContent?.split(' · ')[0]}`));
  const queueRuns = async (prompts: string[]) => {
    for (const prompt of prompts) {
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
      await page.getByRole('button', { name: 'Generate' }).click();
      await entry(prompt).waitFor();
    }
  };

  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchChromium();
    page = await openStudioPage(browser, studio.bridge.url);
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await relaunched?.close();
    fs.rmSync(studio.dataDir, { recursive: true, force: true });
  });

  /** Runs queued first by a batch, so that those under test wait long enough to be moved. */
  const blockers = (size: string) => ['red', 'blue', 'green', 'yellow', 'purple', 'red', 'blue', 'green'].map((colour, i) => `a ${size} ${colour} ${i < 5 ? 'circle' : 'square'}`);
  const addBatch = async (prompts: string[]) => {
    const box = queue().getByRole('textbox', { name: 'Batch prompts, one per line' });
    if (!(await box.isVisible())) await queue().getByRole('button', { name: 'Add batch' }).click();
    await box.fill(prompts.join('\n'));
    await queue().getByRole('button', { name: `Queue ${prompts.length} prompts` }).click();
    await entry(prompts.at(-1)!).waitFor();
  };
  /** Drags one entry onto another as a pointer does, with the page's own drag events. */
  const dragOnto = async (from: Locator, to: Locator) => {
    const target = await to.elementHandle();
    await from.evaluate((source, onto) => {
      const transfer = new DataTransfer();
      source.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      for (const type of ['dragenter', 'dragover', 'drop']) onto!.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      source.dispatchEvent(new DragEvent('dragend', { bubbles: true, dataTransfer: transfer }));
    }, target);
  };
  /** The given prompts' entries, as "prompt: status", in the order shown. */
  const lineOf = async (prompts: string[]) => (await line()).filter((text) => prompts.some((prompt) => text.startsWith(`${prompt}: `)));
  const orderOf = async (prompts: string[]) => (await lineOf(prompts)).map((text) => text.slice(0, text.indexOf(':')));
  const cancelEach = async (prompts: string[]) => {
    for (const prompt of prompts) {
      const cancel = entry(prompt).getByRole('button', { name: 'Cancel', exact: true });
      if (await cancel.count()) await cancel.click().catch(() => undefined); // it may have finished meanwhile
    }
  };

  test('three runs queue behind a running one, move by button, key and drag, one is cancelled; after a reload the queue is there and finishes into the gallery', async () => {
    const mine = ['a red cross', 'a blue triangle', 'a green cross', 'a yellow triangle'];
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('16');
    await addBatch(blockers('big'));
    await queueRuns(mine);
    expect(await orderOf(mine)).toEqual(mine);

    await entry('a yellow triangle').getByRole('button', { name: 'Move up', exact: true }).click();
    await eventually(() => orderOf(mine)).toEqual(['a red cross', 'a blue triangle', 'a yellow triangle', 'a green cross']);
    await entry('a yellow triangle').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await eventually(() => orderOf(mine)).toEqual(['a red cross', 'a yellow triangle', 'a blue triangle', 'a green cross']);
    await dragOnto(entry('a green cross'), entry('a yellow triangle'));
    await eventually(() => orderOf(mine)).toEqual(['a red cross', 'a green cross', 'a yellow triangle', 'a blue triangle']);
    await entry('a blue triangle').getByRole('button', { name: 'Cancel', exact: true }).click();
    await eventually(() => lineOf(['a blue triangle'])).toEqual(['a blue triangle: Cancelled']);
    const running = queue().getByRole('progressbar', { name: /^Progress of “a big/ }).first();
    await eventually(async () => Number(await running.getAttribute('aria-valuenow'))).toBeGreaterThan(0);

    await page.reload();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    await eventually(() => lineOf(mine)).toEqual([
      expect.stringMatching(/^a red cross: (Running|Next|Waiting)/),
      expect.stringMatching(/^a green cross: (Next|Waiting)/),
      expect.stringMatching(/^a yellow triangle: Waiting/),
      'a blue triangle: Cancelled',
    ]);
    await cancelEach(blockers('big'));
    // (The cancelled one may have left the list by then: it keeps the latest few finished runs.)
    await eventually(() => lineOf(['a red cross', 'a green cross', 'a yellow triangle']), RUN_TIMEOUT_MS).toEqual([
      'a yellow triangle: Done, in the gallery',
      'a green cross: Done, in the gallery',
      'a red cross: Done, in the gallery',
    ]);
    for (const [prompt, images] of [['a red cross', 16], ['a green cross', 16], ['a yellow triangle', 16], ['a blue triangle', 0]] as const) {
      await page.getByRole('searchbox', { name: 'Search gallery' }).fill(prompt);
      await eventually(() => page.locator('.toolbar-count').textContent()).toBe(`${images} images`);
    }
    await page.getByRole('searchbox', { name: 'Search gallery' }).fill('');
  }, 240_000);

  test('4 more like this on a gallery image queues its prompt and settings on the next four seeds', async () => {
    await page.getByRole('searchbox', { name: 'Search gallery' }).fill('a green cross');
    const gallery = page.getByRole('region', { name: 'Gallery' });
    const tile = gallery.getByRole('gridcell').first();
    const seed = Number((await tile.getByText(/^seed \d+$/).textContent())!.slice('seed '.length));
    await tile.click();
    await gallery.getByRole('button', { name: '4 more like this' }).click();
    await page.getByText(`Queued 4 more like “a green cross”: the same settings on the next seeds, ${[1, 2, 3, 4].map((step) => seed + step).join(', ')}.`).waitFor();
    // Each of the four in the queue (running, waiting or already done): that seed, the source's 16 candidates.
    const statuses = () => entry('a green cross').locator('.queue-status').allTextContents();
    await eventually(statuses).toEqual(expect.arrayContaining([1, 2, 3, 4].map((step) => expect.stringContaining(`seed ${seed + step} · 16 candidates`))));
    await page.getByRole('searchbox', { name: 'Search gallery' }).fill('');
    await queue().getByRole('button', { name: 'Cancel all' }).click();
    await eventually(async () => (await line()).filter((text) => / (Running|Next|Waiting)/.test(text))).toEqual([]);
  });

  test('the bridge restarted on the same data folder still holds the waiting runs, in order', async () => {
    const mine = ['a purple cross', 'a red triangle', 'a big blue cross'];
    await addBatch(blockers('small'));
    await queueRuns(mine);
    await studio.bridge.close();
    const models = embeddedModelsDir();
    relaunched = await startBridge({ dataDir: studio.dataDir, rendererDir, log: () => undefined, ...(models ? { embeddedModelsDir: models } : {}) });
    await relaunched.studio.ready;
    await page.goto(relaunched.url);
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    await eventually(() => lineOf(mine)).toEqual(mine.map((prompt) => expect.stringMatching(new RegExp(`^${prompt}: (Next|Waiting)`))));
    await queue().getByRole('button', { name: 'Cancel all' }).click();
    await eventually(async () => (await line()).filter((text) => / (Running|Next|Waiting)/.test(text))).toEqual([]);
  }, 120_000);
});
