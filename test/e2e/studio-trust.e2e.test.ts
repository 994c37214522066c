/** The defects of issue 12 an artist hit in the editor and the number fields, in Chromium through the bridge. */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { generate, markTwoCellsByKeyboard, openInEditor } from './studio-actions';
import { bridgeSuite, bridgeTarget } from './targets';

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

describe.skipIf(bridgeTarget.unavailable() !== null).sequential('studio trust', () => {
  let page: Page;
  bridgeSuite(async (opened) => {
    page = opened.page;
  });

  test('typing 0.5 into Temperature gives 0.5; out of range shows a message and keeps the value', async () => {
    const temperature = page.getByRole('spinbutton', { name: 'Temperature value' });
    await temperature.click();
    await temperature.press('Control+a');
    await temperature.pressSequentially('0.5');
    await temperature.press('Enter');
    await expect.poll(() => temperature.inputValue()).toBe('0.5');
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).click();
    await expect.poll(() => temperature.inputValue()).toBe('0.5');
    await temperature.fill('5');
    await temperature.press('Enter');
    await page.getByText('Temperature must be from 0.1 to 2; 5 is out of range.').waitFor();
    expect(await temperature.getAttribute('aria-invalid')).toBe('true');
  });

  test('the editor canvas is square (±2 %) and fills its room at 1024×700, 1280×800 and 1920×1080', async () => {
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('2');
    await generate(page, 'a red circle');
    await openInEditor(page, 0);
    let previousSide = 0;
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      const box = (await page.getByLabel('Mask').boundingBox())!;
      expect(Math.abs(box.width - box.height) / Math.max(box.width, box.height)).toBeLessThanOrEqual(0.02);
      expect(box.width).toBeGreaterThan(previousSide);
      previousSide = box.width;
    }
    expect(previousSide).toBeGreaterThan(560);
  });

  test('cells are marked from the keyboard, Invert marks exactly the others, Esc leaves the editor', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await markTwoCellsByKeyboard(page);
    const cells = page.getByRole('grid', { name: 'Cells to regenerate' });
    await page.keyboard.press('i');
    await page.getByText('62 of 64 cells will be regenerated').waitFor();
    expect(await cells.locator('[aria-selected="true"][data-cell="0"], [aria-selected="true"][data-cell="1"]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('region', { name: 'Gallery' }).waitFor();
  });
});
