/**
 * Screenshots of each main view at 1024×700, 1280×800 and 1920×1080, for looking at the design:
 * `npx tsx test/e2e/shots.ts [OUT_DIR]` (default /tmp/shots).
 */
import fs from 'node:fs';
import path from 'node:path';
import { seedLibrary } from './seed-library';
import type { Page } from 'playwright-core';
import { buildRenderer, launchChromium, openStudioPage, startStudio } from './harness';
import { generate, openInEditor, paintStroke, showBoards, waitForCandidates } from './studio-actions';

const outDir = process.argv[2] ?? '/tmp/shots';
fs.mkdirSync(outDir, { recursive: true });
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
  { width: 1280, height: 800 }, // last: the size the walk-through runs at
];
async function shot(page: Page, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(outDir, `${name}-${size.width}x${size.height}.png`) });
  }
}

buildRenderer();
const studio = await startStudio();
const browser = await launchChromium();
try {
  const page = await openStudioPage(browser, studio.bridge.url);
  await shot(page, '01-first-start');

  const prompts = ['a red circle', 'a blue square on the left', 'a green triangle above a red cross', 'a yellow circle'];
  for (const prompt of prompts) await generate(page, prompt);
  // Many candidates make the run long enough to catch it building up.
  await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('16');
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a blue circle below a cirle');
  await page.getByRole('button', { name: 'Generate' }).click();
  await page.getByRole('region', { name: 'Candidates' }).getByRole('progressbar').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Candidates"] img').length > 0);
  await shot(page, '02-generating');
  await page.getByRole('region', { name: 'Candidates' }).getByRole('button', { name: 'Favourite' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('progress'));
  await shot(page, '03-candidates');

  await page.getByRole('region', { name: 'Candidates' }).getByRole('button', { name: 'Close' }).click();
  await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('4');
  await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(2).click();
  await shot(page, '04-gallery');

  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('dialog').waitFor();
  await shot(page, '05-export');
  await page.getByRole('button', { name: 'Close' }).click();

  await openInEditor(page, 0);
  await paintStroke(page, [[0.3, 0.3], [0.6, 0.35], [0.55, 0.6]]);
  await shot(page, '06-editor-mask');
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await page.getByRole('region', { name: 'Candidates' }).getByRole('button', { name: 'Favourite' }).waitFor();
  await shot(page, '07-editor-candidates');
  await page.getByRole('button', { name: 'Before and after' }).click();
  await shot(page, '08-editor-compare');

  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['x'], 'photo.png', { type: 'image/png' }));
    document.body.dispatchEvent(new DragEvent('dragenter', { bubbles: true, dataTransfer: transfer }));
  });
  await shot(page, '09-dropping');
  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['x'], 'photo.png', { type: 'image/png' }));
    document.body.dispatchEvent(new DragEvent('dragleave', { bubbles: true, dataTransfer: transfer }));
  });

  // The edit just made, in the inspector beside its source.
  await page.getByRole('button', { name: 'Studio', exact: true }).click();
  await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').first().click();
  await page.getByRole('region', { name: 'Gallery' }).getByRole('button', { name: 'Open in inspector' }).click();
  await page.getByRole('combobox', { name: 'Compare with' }).selectOption({ index: 1 });
  await shot(page, '13-inspector');
  await page.keyboard.press('Escape');

  // Extending the canvas: the grown frame previewed, then the extension beside its candidates.
  // The blue square is on the left, out of the window that draws a right strip: the prompt describes that window.
  await page.getByRole('button', { name: 'Studio', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search gallery' }).fill('blue square on the left');
  await page.getByRole('region', { name: 'Gallery' }).getByRole('img', { name: 'a blue square on the left' }).first().click();
  await page.getByRole('button', { name: 'Extend', exact: true }).click();
  const extendView = page.getByRole('region', { name: 'Extend' });
  await extendView.getByRole('radiogroup', { name: 'Extend side' }).getByRole('radio', { name: 'Right' }).click();
  await extendView.getByRole('spinbutton', { name: 'Extend by' }).fill('4');
  await extendView.getByRole('spinbutton', { name: 'Extend by' }).press('Enter');
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a red square at the right');
  await shot(page, '14-extend-preview');
  await extendView.getByRole('button', { name: 'Extend image' }).click();
  await waitForCandidates(page);
  await shot(page, '15-extend-result');
  await page.getByRole('button', { name: 'Back to the gallery' }).click();
  await page.getByRole('searchbox', { name: 'Search gallery' }).fill('');

  await page.getByRole('button', { name: 'Studio', exact: true }).click();
  await page.getByText('Words the model knows').click();
  await page.getByText('Negative prompt', { exact: true }).click();
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a small bl');
  await shot(page, '10-prompt-assist');

  // The queue holding a few runs: one going, the others waiting, the batch box open.
  await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('16');
  for (const prompt of ['a red cross at the top', 'a purple square', 'a green circle on the right', 'a small yellow triangle']) {
    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
    await page.getByRole('button', { name: 'Generate' }).click();
  }
  const queue = page.getByRole('region', { name: 'Queue' });
  await queue.getByRole('button', { name: 'Add batch' }).click();
  await queue.getByRole('textbox', { name: 'Batch prompts, one per line' }).fill('a big blue circle\na red square below a green cross');
  await queue.getByRole('button', { name: 'Move up', exact: true }).first().waitFor();
  await shot(page, '16-queue');
  await queue.getByRole('button', { name: 'Cancel all' }).click();

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await shot(page, '11-settings');

  await page.getByRole('button', { name: 'Studio', exact: true }).click();
  await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(1).click();
  await page.getByRole('region', { name: 'Gallery' }).getByRole('button', { name: 'Variations' }).click();
  const variations = page.getByRole('dialog', { name: 'Variations' });
  await variations.getByRole('radio', { name: 'Keep random cells' }).check();
  await shot(page, '17-variations');
  await variations.getByRole('button', { name: 'Make variations' }).click();
  await waitForCandidates(page);
  await shot(page, '18-variations-result');
} finally {
  await browser.close();
  await studio.close();
}

// A big library, seeded: what the gallery looks like after months of work.
const bigLibrary = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : '/tmp', 'parti-shots-'));
seedLibrary(bigLibrary, 10_000);
const bigStudio = await startStudio(bigLibrary);
const bigBrowser = await launchChromium();
try {
  const page = await openStudioPage(bigBrowser, bigStudio.bridge.url);
  await page.getByRole('region', { name: 'Gallery' }).getByRole('img').first().waitFor();
  await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(1).click();
  await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(3).click({ modifiers: ['Shift'] });
  await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(5).hover();
  await shot(page, '12-gallery-10000');
  await showBoards(page);
  await shot(page, '19-boards');
} finally {
  await bigBrowser.close();
  await bigStudio.close();
}
console.log(`Screenshots in ${outDir}`);
