/**
 * The gallery at 10,000 images, in Chromium through the bridge: only the rows on screen
 * exist in the page, scrolling keeps frames coming, and the far end and search answer quickly.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './harness';
import { promptFor } from './seed-library';
import { seededBridgeSuite } from './targets';

const IMAGES = 10_000;

describe.skipIf(!chromiumAvailable())('gallery with 10,000 images', () => {
  let page: Page;
  seededBridgeSuite(IMAGES, (opened) => {
    page = opened;
  });

  const grid = () => page.getByRole('region', { name: 'Gallery' }).getByRole('grid');

  test('renders only what is on screen', async () => {
    await page.getByRole('region', { name: 'Gallery' }).getByText('10,000 images').first().waitFor();
    await grid().getByRole('img', { name: promptFor(IMAGES - 1), exact: true }).waitFor();
    const cells = await grid().getByRole('gridcell').count();
    expect(cells).toBeGreaterThan(10);
    expect(cells).toBeLessThan(200);
  });

  test('keeps frames coming while scrolling through thousands of images', async () => {
    // Scrolls 400 px a frame for 150 frames (about 2,500 images) and times every frame.
    const frames = await page.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('[role="grid"]')!;
      const times: number[] = [];
      let last = performance.now();
      for (let frame = 0; frame < 150; frame++) {
        scroller.scrollTop += 400;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times.sort((a, b) => a - b);
    });
    const median = frames[Math.floor(frames.length / 2)]!;
    const p95 = frames[Math.floor(frames.length * 0.95)]!;
    console.log(`Gallery scroll at ${IMAGES} images: median frame ${median.toFixed(1)} ms, 95th percentile ${p95.toFixed(1)} ms`);
    // Software rendering on a shared CPU: generous bounds that still catch a grid rendering everything.
    expect(median).toBeLessThan(100);
    expect(p95).toBeLessThan(400);
    expect(await grid().getByRole('gridcell').count()).toBeLessThan(200);
  });

  test('reaches the oldest image and finds one by search', async () => {
    await grid().getByRole('gridcell').first().focus();
    await page.keyboard.press('End');
    await grid().getByRole('img', { name: promptFor(0), exact: true }).waitFor();
    await page.getByRole('searchbox', { name: 'Search gallery' }).fill('number 4242');
    await grid().getByRole('img', { name: promptFor(4242), exact: true }).waitFor();
    await page.getByRole('region', { name: 'Gallery' }).getByText(/^1 image$/).first().waitFor();
  });
});
