/**
 * The inspector end to end, in Chromium through the bridge: an image large with every
 * parameter, its place in its run and the run's timings; its lineage followed both ways
 * (a variation to its source and back); a comparison side by side and with the wipe.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { seriousViolations } from './axe';
import { generate, waitForCandidates } from './studio-actions';
import { bridgeSuite, bridgeTarget } from './targets';

describe.skipIf(bridgeTarget.unavailable() !== null).sequential('inspector', () => {
  let page: Page;
  bridgeSuite(async (opened) => {
    page = opened.page;
  });

  test('shows a variation’s parameters, rank and timings, follows it to its source and back, and compares the two', async () => {
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('2');
    await generate(page, 'a red circle');
    const gallery = page.getByRole('region', { name: 'Gallery' });
    await gallery.getByRole('gridcell').first().click();
    await gallery.getByRole('button', { name: 'Variations' }).click();
    await page.getByRole('button', { name: 'Make variations' }).click();
    await waitForCandidates(page);
    await expect.poll(() => gallery.getByRole('gridcell').count()).toBe(4);

    // The newest run is first: its best image is the variation.
    await gallery.getByRole('gridcell').first().click();
    await gallery.getByRole('button', { name: 'Open in inspector' }).click();
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const parameters = inspector.getByRole('region', { name: 'Parameters' });
    const value = (name: string) => parameters.locator('.parameter-row', { has: page.getByText(name, { exact: true }) }).locator('dd').textContent();
    expect(await value('Rank')).toBe('best of 2 in its run');
    expect(await value('Variation')).toBe('strength 0.5, keep rows from the top');
    expect(await value('Time')).toMatch(/^\d+\.\d+ s for the run: prompt \d+\.\d+ s, tokens \d+\.\d+ s, pixels \d+\.\d+ s, ranking \d+\.\d+ s$/);
    expect(await inspector.getByRole('region', { name: 'Its run' }).getByRole('button').count()).toBe(1);

    // To its source, whose "Made from this" lists both variations; Back returns.
    await inspector.getByRole('region', { name: 'Made from', exact: true }).getByRole('button', { name: /open in the inspector: a red circle$/ }).click();
    await expect.poll(() => value('Made')).toMatch(/^Generated, /);
    expect(await inspector.getByRole('region', { name: 'Made from this' }).getByRole('button').count()).toBe(2);
    await inspector.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => value('Made')).toMatch(/^Variation, /);

    // Compared with its source: side by side, then with the wipe.
    const compareWith = inspector.getByRole('combobox', { name: 'Compare with' });
    await compareWith.selectOption({ label: 'Its source (a red circle)' });
    expect(await inspector.getByRole('img', { name: /^(This image|Compared with): a red circle$/ }).count()).toBe(2);
    await inspector.getByRole('radio', { name: 'Wipe' }).check();
    const divider = inspector.getByRole('slider', { name: 'Comparison divider' });
    await divider.focus();
    await page.keyboard.press('ArrowLeft');
    expect(await divider.getAttribute('aria-valuetext')).toBe('49 % this image');
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await expect.poll(() => inspector.count()).toBe(0);
    await gallery.getByRole('grid', { name: 'Images' }).waitFor();
  });

  test('opens from the keyboard (I on a gallery image) and Esc closes it', async () => {
    const cell = page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(2);
    await cell.focus();
    await page.keyboard.press('i');
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await inspector.waitFor();
    expect(await inspector.getByRole('region', { name: 'Made from', exact: true }).textContent()).toContain('Nothing: it was made from its prompt.');
    await page.keyboard.press('Escape');
    await expect.poll(() => inspector.count()).toBe(0);
  });
});
