/**
 * Issue 12, "nothing is lost": runs saved by main, reattaching after a reload, a back end that
 * goes away and comes back, and the defects of History, tiles, seeds and notices, in Chromium
 * through the bridge. This suite holds its own bridge, to drop its socket and to kill it.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { startBridge } from '../../main/bridge/server';
import { chromiumAvailable, embeddedModelsDir, launchChromium, rendererDir, startStudio, VIEWPORT, type RunningStudio } from './harness';
import { dropFile, markTwoCellsByKeyboard, waitForCandidates } from './studio-actions';

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
/** The bound: a dead back end is shown within 10 s. */
const NOTICE_WITHIN_MS = 10_000;

describe.skipIf(!chromiumAvailable()).sequential('studio runs', () => {
  let studio: RunningStudio;
  let browser: Browser;
  let page: Page;
  /** The page's socket to the bridge, routed through the test so that it can be dropped. */
  let socket: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  let bridgeKilled = false;
  const gallery = () => page.getByRole('region', { name: 'Gallery' });
  const tiles = (prompt: string) => gallery().getByRole('img', { name: prompt, exact: true });
  const setCandidates = (count: number) => page.getByRole('spinbutton', { name: 'Candidates value' }).fill(String(count));
  const startRun = async (prompt: string) => {
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Generate' }).click();
  };
  const progress = () => page.getByRole('region', { name: 'Candidates' }).getByRole('progressbar');

  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.routeWebSocket(/\/ws/, (route) => {
      socket = { page: route, server: route.connectToServer() };
    });
    await page.goto(studio.bridge.url);
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    if (bridgeKilled) fs.rmSync(studio.dataDir, { recursive: true, force: true });
    else await studio?.close();
  });

  test('a finished run, with nobody pressing anything, is in the gallery after a reload: all candidates, best first, ranks shown', async () => {
    await setCandidates(3);
    await startRun('a red circle');
    await waitForCandidates(page);
    await page.reload();
    await eventually(() => tiles('a red circle').count()).toBe(3);
    const ranks = await gallery().locator('.tile-meta').evaluateAll((metas) => metas.map((meta) => meta.firstElementChild?.textContent));
    expect(ranks).toEqual(['best', '#2', '#3']);
  });

  test('History shows the prompt as soon as the run starts', async () => {
    await setCandidates(16);
    await startRun('a blue square on the left');
    await progress().waitFor();
    await page.getByRole('region', { name: 'History' }).getByText('a blue square on the left', { exact: true }).waitFor();
    expect(await progress().count()).toBe(1); // still running: it did not wait for the run to end
    await waitForCandidates(page);
  });

  test('a reload mid-run reattaches to it (progress, previews) and the run finishes into the library', async () => {
    await setCandidates(16);
    await startRun('a green triangle');
    await progress().waitFor();
    await page.reload();
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
    const candidates = page.getByRole('region', { name: 'Candidates' });
    await candidates.getByText('Generating 16 candidates').waitFor();
    await candidates.getByRole('img').first().waitFor(); // previews are back, not empty slots
    await waitForCandidates(page);
    await eventually(() => tiles('a green triangle').count()).toBe(16);
  });

  test('the typed prompt draft and the editor with its mask survive a reload', async () => {
    await gallery().getByRole('gridcell').first().dblclick();
    await markTwoCellsByKeyboard(page);
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a yellow cro');
    await page.reload();
    await page.getByText('2 of 64 cells will be regenerated').waitFor();
    expect(await page.getByRole('textbox', { name: 'Prompt', exact: true }).inputValue()).toBe('a yellow cro');
    await page.getByRole('button', { name: 'Close editor' }).click();
  });

  test('a seed finds its run; "Use these settings" on candidate #2 says which candidate the seed remakes', async () => {
    await page.getByRole('searchbox', { name: 'Search gallery' }).fill('a red circle');
    // Until the search applies, the three tiles are there among the others: wait for them alone.
    await eventually(() => page.locator('.toolbar-count').textContent()).toBe('3 images');
    await eventually(() => tiles('a red circle').count()).toBe(3);
    const seed = (await gallery().locator('.tile-meta').first().getByText(/^seed \d+$/).textContent())!.slice('seed '.length);
    await page.getByRole('searchbox', { name: 'Search gallery' }).fill(seed);
    await eventually(() => tiles('a red circle').count()).toBe(3);
    await tiles('a red circle').nth(1).click();
    await page.getByRole('button', { name: 'Use these settings' }).click();
    await page.getByText(`Prompt, settings and seed ${seed} are ready: Generate makes this run of 3 again, where this image is candidate #2.`).waitFor();
    await page.getByRole('searchbox', { name: 'Search gallery' }).fill('');
  });

  test('notices: the offer of a file’s settings goes when another file is opened; error notices replace each other and close', async () => {
    const png = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), (await gallery().getByRole('img').first().getAttribute('src'))!);
    await dropFile(page, { name: 'made-here.png', mimeType: 'image/png', bytes: Uint8Array.from(png) });
    await page.getByRole('button', { name: 'Use its settings' }).waitFor();
    await dropFile(page, { name: 'notes.txt', mimeType: 'text/plain', bytes: new TextEncoder().encode('x') });
    await eventually(() => page.getByRole('button', { name: 'Use its settings' }).count()).toBe(0);
    await dropFile(page, { name: 'other.txt', mimeType: 'text/plain', bytes: new TextEncoder().encode('x') });
    await page.getByText('“other.txt” is not an image').waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'is not an image' }).count()).toBe(1);
    await eventually(() => page.getByRole('alert').filter({ hasText: 'is not an image' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Close editor' }).click();
  }, 60_000);

  test('a dropped connection mid-run is shown within 10 s, progress stops, Generate works again, and it reconnects by itself', async () => {
    await setCandidates(16);
    await startRun('a yellow circle');
    await progress().waitFor();
    const dropped = Date.now();
    await socket!.server.close();
    await socket!.page.close();
    const lost = page.getByRole('alert').filter({ hasText: 'Connection to Parti Studio lost' });
    await lost.waitFor({ timeout: NOTICE_WITHIN_MS });
    expect(Date.now() - dropped).toBeLessThan(NOTICE_WITHIN_MS);
    expect(await progress().count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Generate' }).isEnabled()).toBe(true);
    // The bridge never went away: the page reconnects and picks the run up again.
    await eventually(() => lost.count()).toBe(0);
    await waitForCandidates(page);
    await eventually(() => tiles('a yellow circle').count()).toBe(16);
  });

  test('killing the bridge mid-run is shown within 10 s; a relaunched bridge (new token) is named, with how to reopen', async () => {
    await setCandidates(16);
    await startRun('a big red cross');
    await progress().waitFor();
    const killed = Date.now();
    await studio.bridge.close();
    bridgeKilled = true;
    await page.getByRole('alert').filter({ hasText: 'Connection to Parti Studio lost' }).waitFor({ timeout: NOTICE_WITHIN_MS });
    expect(Date.now() - killed).toBeLessThan(NOTICE_WITHIN_MS);
    expect(await progress().count()).toBe(0);

    const models = embeddedModelsDir();
    const relaunched = await startBridge({ dataDir: studio.dataDir, rendererDir, port: studio.bridge.port, log: () => undefined, ...(models ? { embeddedModelsDir: models } : {}) });
    try {
      await page.getByRole('alert').filter({ hasText: 'Parti Studio was restarted' }).getByText('npm run serve').waitFor();
    } finally {
      await relaunched.close();
    }
  });
});
