/**
 * Issue 13 item 4, the queue, in Chromium through the bridge: runs queued while one is
 * going, reordered by button, keys and drag, one cancelled; a reload mid-queue; a restart of
 * the bridge on the same data folder. This suite holds its own bridge, to restart it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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
  const tiles = (prompt: string) => page.getByRole('region', { name: 'Gallery' }).getByRole('img', { name: prompt, exact: true });
  const queueRuns = async (prompts: string[]) => {
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('16');
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

  test('three runs queue behind a running one, move by button, key and drag, one is cancelled; after a reload the queue is there and finishes into the gallery', async () => {
    await queueRuns(['a red circle', 'a blue square', 'a green triangle', 'a yellow cross']);
    expect(await line()).toEqual(['a red circle: Running', 'a blue square: Next', 'a green triangle: Waiting, #2 in line', 'a yellow cross: Waiting, #3 in line'].map((text) => expect.stringContaining(text)));

    await entry('a yellow cross').getByRole('button', { name: 'Move up', exact: true }).click();
    await eventually(line).toEqual(['a red circle: Running', 'a blue square: Next', 'a yellow cross: Waiting, #2 in line', 'a green triangle: Waiting, #3 in line'].map((text) => expect.stringContaining(text)));
    await entry('a yellow cross').focus();
    await page.keyboard.press('Alt+ArrowUp');
    await eventually(line).toEqual(['a red circle: Running', 'a yellow cross: Next', 'a blue square: Waiting, #2 in line', 'a green triangle: Waiting, #3 in line'].map((text) => expect.stringContaining(text)));
    await entry('a green triangle').dragTo(entry('a yellow cross'));
    await eventually(line).toEqual(['a red circle: Running', 'a green triangle: Next', 'a yellow cross: Waiting, #2 in line', 'a blue square: Waiting, #3 in line'].map((text) => expect.stringContaining(text)));
    await entry('a blue square').getByRole('button', { name: 'Cancel', exact: true }).click();
    await eventually(line).toEqual(['a red circle: Running', 'a green triangle: Next', 'a yellow cross: Waiting, #2 in line', 'a blue square: Cancelled'].map((text) => expect.stringContaining(text)));
    const progress = queue().getByRole('progressbar', { name: 'Progress of “a red circle”' });
    await eventually(async () => Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);

    await page.reload();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    expect(await line()).toEqual([expect.stringMatching(/^a red circle: (Running|Done)/), expect.stringMatching(/^a green triangle: (Next|Running)/), expect.stringMatching(/^a yellow cross: /), 'a blue square: Cancelled']);
    await eventually(line, RUN_TIMEOUT_MS).toEqual(['a yellow cross: Done, in the gallery', 'a green triangle: Done, in the gallery', 'a red circle: Done, in the gallery', 'a blue square: Cancelled']);
    for (const prompt of ['a red circle', 'a green triangle', 'a yellow cross']) await eventually(() => tiles(prompt).count()).toBe(16);
    expect(await tiles('a blue square').count()).toBe(0);
  }, 240_000);

  test('the bridge restarted on the same data folder still holds the waiting runs, and the interrupted one is back at the front', async () => {
    await queueRuns(['a purple circle', 'a small red square', 'a big blue cross']);
    await studio.bridge.close();
    const models = embeddedModelsDir();
    relaunched = await startBridge({ dataDir: studio.dataDir, rendererDir, log: () => undefined, ...(models ? { embeddedModelsDir: models } : {}) });
    await relaunched.studio.ready;
    await page.goto(relaunched.url);
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    await eventually(async () => (await line()).slice(0, 3)).toEqual(
      [/^a purple circle: (Next|Running)/, /^a small red square: (Next|Waiting, #2 in line)/, /^a big blue cross: Waiting, #(2|3) in line/].map((pattern) => expect.stringMatching(pattern)),
    );
    await queue().getByRole('button', { name: 'Cancel all' }).click();
    await eventually(async () => (await line()).filter((text) => / (Running|Next|Waiting)/.test(text))).toEqual([]);
  }, 120_000);
});
