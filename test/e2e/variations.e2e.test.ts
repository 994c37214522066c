/** Variations ("more like this") in Chromium through the bridge, found by their accessible names. */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { readPngInfo } from './png';
import { generate, waitForCandidates } from './studio-actions';
import { bridgeSuite, bridgeTarget, type StudioSession } from './targets';

/** The pixels of the gallery's images by position (0 = newest), read back in the page. */
async function galleryPixels(page: Page, positions: number[]): Promise<number[][]> {
  const urls = await Promise.all(positions.map((at) => galleryImage(page, at).getAttribute('src')));
  return page.evaluate(async (sources) => {
    const read = async (src: string) => {
      const bitmap = await createImageBitmap(await (await fetch(src)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      return Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data);
    };
    return Promise.all(sources.map((src) => read(src!)));
  }, urls);
}

const galleryImage = (page: Page, at: number) => page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(at).getByRole('img');

/** Mean absolute difference of the RGB values of pixel rows [from, to) of two 64-pixel-wide images. */
function meanDifference(a: number[], b: number[], from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let i = from * 64 * 4; i < to * 64 * 4; i++) {
    if (i % 4 === 3) continue;
    sum += Math.abs(a[i]! - b[i]!);
    count++;
  }
  return sum / count;
}

describe.skipIf(bridgeTarget.unavailable() !== null).sequential('variations', () => {
  let session: StudioSession;
  let page: Page;
  const dialog = () => page.getByRole('dialog', { name: 'Variations' });
  const openVariations = async (at: number) => {
    await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(at).click();
    await page.getByRole('region', { name: 'Gallery' }).getByRole('button', { name: 'Variations' }).click();
    await dialog().waitFor();
  };
  /** Types a strength and leaves the box (Enter would also submit the dialog). */
  const setStrength = async (value: string) => {
    const box = dialog().getByRole('spinbutton', { name: 'Variation strength' });
    await box.fill(value);
    await box.press('Tab');
  };
  bridgeSuite(async (opened) => {
    session = opened;
    page = opened.page;
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('1');
    await generate(page, 'a red circle at the top left');
  });

  test('strength 0 gives the source back pixel for pixel, as a variation linked to it', async () => {
    await openVariations(0);
    expect(await dialog().getByRole('textbox', { name: 'Variation prompt' }).inputValue()).toBe('a red circle at the top left');
    await setStrength('0');
    await expect.poll(() => dialog().getByRole('slider', { name: 'Variation strength' }).inputValue()).toBe('0');
    await dialog().getByRole('button', { name: 'Make variations' }).click();
    await waitForCandidates(page);
    await page.getByRole('region', { name: 'Gallery' }).getByText('variation', { exact: true }).waitFor();
    const [variation, source] = await galleryPixels(page, [0, 1]);
    expect(variation).toEqual(source);
  });

  test('strength 0.5 keeping rows draws the bottom half again, keeps the top rows, and is saved linked to its source with its strength and mode', async () => {
    await openVariations(1); // the source, behind the first variation
    await setStrength('0.5');
    await dialog().getByRole('radio', { name: 'Keep rows from the top' }).check();
    await dialog().getByText('Keeps 4 rows of 8; draws 4 rows again.').waitFor();
    await dialog().getByRole('textbox', { name: 'Variation prompt' }).fill('a blue square at the bottom right');
    await dialog().getByRole('button', { name: 'Make variations' }).click();
    await waitForCandidates(page);
    await expect.poll(() => page.getByRole('region', { name: 'Gallery' }).getByText('variation', { exact: true }).count()).toBe(2);

    const [variation, source] = await galleryPixels(page, [0, 2]);
    expect(variation).not.toEqual(source);
    // The kept 4 token rows are the top 32 pixel rows; the detokenizer's reach blurs the seam a little.
    expect(meanDifference(variation!, source!, 0, 24)).toBeLessThan(2);
    expect(meanDifference(variation!, source!, 32, 64)).toBeGreaterThan(meanDifference(variation!, source!, 0, 24));

    await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').first().click();
    await page.getByRole('button', { name: 'Export' }).click();
    const exportDialog = page.getByRole('dialog');
    await exportDialog.getByRole('radio', { name: /PNG/ }).check();
    const exported = await session.exportedFile(() => exportDialog.getByRole('button', { name: 'Export' }).click());
    const png = readPngInfo(exported.bytes);
    const sourceUrl = (await galleryImage(page, 2).getAttribute('src'))!;
    const sourceId = decodeURIComponent(new URL(sourceUrl, page.url()).pathname.split('/').at(-1)!);
    expect(JSON.parse(png.text['parti-studio']!)).toMatchObject({ kind: 'variation', prompt: 'a blue square at the bottom right', sourceId, variation: { strength: 0.5, keep: 'rows' } });
    expect(png.text.parameters).toMatch(new RegExp(`Source: ${sourceId}, Variation strength: 0\\.5, Variation keep: rows$`));
  });

  test('Variations in the candidates panel opens on the chosen candidate', async () => {
    await page.getByRole('region', { name: 'Candidates' }).getByRole('button', { name: 'Variations' }).click();
    expect(await dialog().getByRole('textbox', { name: 'Variation prompt' }).inputValue()).toBe('a blue square at the bottom right');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'hidden' });
  });

  test('Use these settings on a variation puts its strength and mode back', async () => {
    await openVariations(0);
    await setStrength('0.9');
    await dialog().getByRole('radio', { name: 'Keep random cells' }).check();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Use these settings' }).click();
    await openVariations(0);
    expect(await dialog().getByRole('slider', { name: 'Variation strength' }).inputValue()).toBe('0.5');
    expect(await dialog().getByRole('radio', { name: 'Keep rows from the top' }).isChecked()).toBe(true);
  });

  test('refuses a strength outside 0 to 1 in the number box, and Enter then starts nothing', async () => {
    const box = dialog().getByRole('spinbutton', { name: 'Variation strength' });
    await box.fill('2');
    await box.press('Enter');
    await dialog().getByText('Strength must be from 0 to 1; 2 is out of range.').waitFor();
    expect(await dialog().getByRole('slider', { name: 'Variation strength' }).inputValue()).toBe('0.5');
    expect(await dialog().isVisible()).toBe(true);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'hidden' });
  });
});
