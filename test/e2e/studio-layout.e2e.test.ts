/**
 * What the screen shows is whole and true at every window size (issue 12: items 8, 10, 13
 * and 15), in Chromium through the bridge: nothing cut or overlapping, the candidates' checks
 * off the pictures, the run and the gallery both in sight, Generate always reachable, and
 * Settings offering only the execution providers that really start here.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { Engine } from '../../main/engine/index';
import { generate } from './studio-actions';
import { bridgeSuite, bridgeTarget } from './targets';

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Texts under `root` matching `selector` whose content is wider than their box (cut or spilling over). */
function cutTexts(root: Locator, selector: string): Promise<string[]> {
  return root.evaluate(
    (element, css) =>
      [...element.querySelectorAll<HTMLElement>(css)].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent ?? ''),
    selector,
  );
}

/** Whether an input's placeholder fits inside its content box. */
function placeholderFits(input: Locator): Promise<boolean> {
  return input.evaluate((el: HTMLInputElement) => {
    const style = getComputedStyle(el);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(el.placeholder).width <= room;
  });
}

describe.skipIf(bridgeTarget.unavailable() !== null).sequential('studio layout', () => {
  let page: Page;
  bridgeSuite(async (opened) => {
    page = opened.page;
  });

  test('with 16 candidates, at 1024×700, 1280×800 and 1920×1080, nothing is cut or overlaps and the run and the gallery are both in sight', async () => {
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('16');
    await generate(page, 'a red circle on the left');
    const candidates = page.getByRole('region', { name: 'Candidates' });
    const gallery = page.getByRole('region', { name: 'Gallery' });
    await gallery.getByRole('gridcell').nth(15).waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      const at = `${size.width}×${size.height}`;

      // Item 10: every check sits off every picture; captions never run into a neighbour.
      const images = await Promise.all((await candidates.getByRole('img').all()).map((image) => image.boundingBox()));
      const checks = await Promise.all((await candidates.getByRole('checkbox').all()).map((check) => check.boundingBox()));
      expect(checks.length, at).toBe(16);
      for (const check of checks) expect(images.some((image) => overlaps(check!, image!)), at).toBe(false);
      expect(await cutTexts(candidates, '.candidate-caption, .candidate-caption > span'), at).toEqual([]);

      // Item 15: both rows of candidates show whole, and the gallery keeps at least one whole row.
      const grid = (await candidates.locator('.candidate-grid').boundingBox())!;
      for (const image of images) expect(image!.y + image!.height, at).toBeLessThanOrEqual(grid.y + grid.height + 1);
      const scroller = (await gallery.locator('.gallery-scroller').boundingBox())!;
      const tile = (await gallery.getByRole('gridcell').first().boundingBox())!;
      expect(Math.min(scroller.y + scroller.height, size.height) - scroller.y, at).toBeGreaterThanOrEqual(tile.height);

      // The gallery toolbar is one row, its count whole; the tiles' rank, seed and date are whole.
      const toolbar = page.locator('.gallery-toolbar');
      const toolbarBox = (await toolbar.boundingBox())!;
      const searchBox = (await toolbar.getByRole('searchbox').boundingBox())!;
      expect(toolbarBox.height, at).toBeLessThanOrEqual(searchBox.height + 4);
      expect(await cutTexts(toolbar, '.toolbar-count'), at).toEqual([]);
      expect(await cutTexts(gallery, '.tile-meta > span'), at).toEqual([]);
      expect(await placeholderFits(page.getByLabel('Seed', { exact: true })), `seed placeholder at ${at}`).toBe(true);
    }
  });

  test('Generate stays in sight with the model’s words, an unknown-word hint and the negative prompt open', async () => {
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a blue circle below a cirle');
    await page.getByText('Words the model knows').click();
    await page.getByText('Negative prompt', { exact: true }).click();
    await page.getByRole('group', { name: 'relations' }).waitFor();
    for (const size of SIZES.slice(0, 2)) {
      await page.setViewportSize(size);
      // As the artist sees the panel: from its top, the prompt in view.
      await page.getByRole('complementary', { name: 'Prompt and settings' }).evaluate((sidebar) => (sidebar.scrollTop = 0));
      const button = (await page.getByRole('button', { name: 'Generate' }).boundingBox())!;
      expect(button.y + button.height, `${size.width}×${size.height}`).toBeLessThanOrEqual(size.height);
    }
  });

  test('the two search boxes say what they search (item 13)', async () => {
    const names = await page.getByRole('searchbox').evaluateAll((boxes) => boxes.map((box) => box.getAttribute('aria-label') ?? (box as HTMLInputElement).labels?.[0]?.textContent ?? ''));
    expect(names.sort()).toEqual(['Search gallery', 'Search history']);
  });

  test.skipIf(!Engine.availableProviders().includes('webgpu'))('Settings offers only the providers that start here and says why WebGPU does not (item 8)', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Settings' }).click();
    const providers = page.getByRole('combobox', { name: 'Execution provider' });
    await providers.waitFor();
    expect(await providers.locator('option').allTextContents()).toEqual(['Automatic (best available)', 'CPU']);
    await page.getByText('Starts on this machine: CPU.').waitFor();
    const refused = page.getByRole('list', { name: 'Providers that do not start on this machine' });
    expect(await refused.getByRole('listitem').allTextContents()).toEqual(['WebGPU does not start: no GPU adapter found']);
  });
});
