/** The creative tools of issue 13, in Chromium through the bridge, found by their accessible names. */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { readPngInfo } from './png';
import { generate } from './studio-actions';
import { bridgeSuite, bridgeTarget, type StudioSession } from './targets';

describe.skipIf(bridgeTarget.unavailable() !== null).sequential('creative tools', () => {
  let session: StudioSession;
  let page: Page;
  bridgeSuite(async (opened) => {
    session = opened;
    page = opened.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('2');
    await generate(page, 'a red circle');
  });

  test('Copy image puts the PNG and its parameters on the clipboard', async () => {
    const gallery = page.getByRole('region', { name: 'Gallery' });
    await gallery.getByRole('gridcell').first().click();
    await page.getByRole('button', { name: 'Copy image' }).click();
    await page.getByText('Image copied, with its parameters.').waitFor();
    const clipboard = await page.evaluate(async () => {
      const [item] = await navigator.clipboard.read();
      const png = new Uint8Array(await (await item!.getType('image/png')).arrayBuffer());
      return { types: item!.types, signature: Array.from(png.subarray(1, 4)), text: await (await item!.getType('text/plain')).text() };
    });
    expect(clipboard.types).toEqual(expect.arrayContaining(['image/png', 'text/plain']));
    expect(String.fromCharCode(...clipboard.signature)).toBe('PNG');
    expect(clipboard.text).toMatch(/^a red circle\nSampler: Parti autoregressive, .*Seed: \d+, Rank: 1, Size: 64x64, Model: shapes-v1/);
  });

  test('the prompt completes the model’s words as they are typed, and word chips add themselves', async () => {
    const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
    await prompt.fill('');
    await prompt.pressSequentially('a bl');
    const completions = page.getByRole('listbox', { name: 'Completions' });
    await completions.getByRole('option', { name: 'blue' }).waitFor();
    expect(await completions.getByRole('option').allTextContents()).toEqual(['black', 'blue']);
    await prompt.press('ArrowDown');
    expect(await completions.getByRole('option', { selected: true }).textContent()).toBe('blue');
    await prompt.press('Enter');
    await expect.poll(() => prompt.inputValue()).toBe('a blue ');
    expect(await completions.count()).toBe(0);

    await page.getByText('Words the model knows').click();
    await page.getByRole('group', { name: 'shapes' }).getByRole('button', { name: 'Add “circle” to the prompt' }).click();
    await page.getByRole('group', { name: 'relations' }).getByRole('button', { name: 'Add “above” to the prompt' }).click();
    await expect.poll(() => prompt.inputValue()).toBe('a blue circle above');
  });

  test('a negative prompt goes with the run, into the PNG as A1111 writes it, and back with Use these settings', async () => {
    await page.getByText('Negative prompt', { exact: true }).click();
    const negative = page.getByRole('textbox', { name: 'Negative prompt' });
    await negative.fill('a blue square');
    await page.getByRole('spinbutton', { name: 'Guidance value' }).fill('3');
    await page.getByRole('spinbutton', { name: 'Guidance value' }).press('Enter');
    await generate(page, 'a green cross');

    await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').first().click();
    await page.getByRole('button', { name: 'Export' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: /PNG/ }).check();
    const exported = await session.exportedFile(() => dialog.getByRole('button', { name: 'Export' }).click());
    const png = readPngInfo(exported.bytes);
    expect(png.text.parameters?.split('\n').slice(0, 2)).toEqual(['a green cross', 'Negative prompt: a blue square']);
    expect(JSON.parse(png.text['parti-studio']!)).toMatchObject({ prompt: 'a green cross', negativePrompt: 'a blue square' });

    await negative.fill('');
    await page.getByRole('button', { name: 'Use these settings' }).click();
    await expect.poll(() => negative.inputValue()).toBe('a blue square');
  });
});
