/**
 * Every view checked by axe-core (the engine most accessibility tools build on), injected
 * from node_modules into the page: no serious or critical violation anywhere. Also the
 * unknown-word hints of issue 12, which need the real model's vocabulary.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe';
import { generate, openInEditor } from './studio-actions';
import { bridgeSuite, bridgeTarget } from './targets';

describe.skipIf(bridgeTarget.unavailable() !== null).sequential('accessibility', () => {
  let page: Page;
  bridgeSuite(async (opened) => {
    page = opened.page;
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('2');
    await generate(page, 'a red circle');
  });

  test('unknown words get the model’s nearest word, and Use “…” puts it in', async () => {
    const prompt = page.getByRole('textbox', { name: 'Prompt', exact: true });
    await prompt.fill('a purpel circel lft circles');
    for (const suggestion of ['purple', 'circle', 'left']) await page.getByRole('button', { name: `Use “${suggestion}”` }).first().waitFor();
    expect(await page.getByRole('button', { name: /^Use “/ }).allTextContents()).toEqual(['Use “purple”', 'Use “circle”', 'Use “left”', 'Use “circle”']);
    await page.getByRole('button', { name: 'Use “purple”' }).click();
    await expect.poll(() => prompt.inputValue()).toBe('a purple circel lft circles');
    await prompt.fill('');
  });

  test('the check itself catches a control without a name', async () => {
    await page.evaluate(() => document.body.appendChild(Object.assign(document.createElement('button'), { id: 'nameless' })));
    expect(await seriousViolations(page)).toEqual([expect.stringMatching(/^critical button-name: .*#nameless/)]);
    await page.evaluate(() => document.getElementById('nameless')?.remove());
  });

  test.each([
    ['the studio with a run and the gallery', async () => page.getByRole('button', { name: 'Studio', exact: true }).click()],
    ['the prompt words and the negative prompt, open', async () => {
      await page.getByText('Words the model knows').click();
      await page.getByText('Negative prompt', { exact: true }).click();
    }],
    ['the queue holding a running and waiting runs, its batch box open', async () => {
      await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('16');
      for (const prompt of ['a blue square', 'a green cross', 'a yellow triangle']) {
        await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
        await page.getByRole('button', { name: 'Generate' }).click();
      }
      await page.getByRole('region', { name: 'Queue' }).getByRole('button', { name: 'Move up', exact: true }).first().waitFor();
      await page.getByRole('button', { name: 'Add batch' }).click();
    }],
    ['the editor', async () => {
      await page.getByRole('button', { name: 'Cancel all' }).click();
      await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('2');
      await openInEditor(page, 0);
    }],
    ['the extend view', async () => {
      await page.getByRole('button', { name: 'Studio', exact: true }).click();
      await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').first().click();
      await page.getByRole('button', { name: 'Extend', exact: true }).click();
      await page.getByRole('region', { name: 'Extend' }).getByRole('img', { name: /^Preview/ }).waitFor();
    }],
    ['the settings and models', async () => page.getByRole('button', { name: 'Settings', exact: true }).click()],
    ['the Variations dialog', async () => {
      await page.getByRole('button', { name: 'Studio', exact: true }).click();
      await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').first().click();
      await page.getByRole('region', { name: 'Gallery' }).getByRole('button', { name: 'Variations' }).click();
      await page.getByRole('dialog', { name: 'Variations' }).getByRole('slider', { name: 'Variation strength' }).waitFor();
    }],
  ])('%s: no serious or critical violation', async (_view, open) => {
    await open();
    await page.waitForTimeout(200);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
