/** Extending the canvas, in Chromium through the bridge, found by its accessible names. */
import { decode } from 'fast-png';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { readPngInfo } from './png';
import { generate, waitForCandidates } from './studio-actions';
import { bridgeSuite, bridgeTarget, type StudioSession } from './targets';

/** Exports the selected gallery image as a PNG at 1×, named by its library id; the dialog must state `size`. */
async function exportSelected(session: StudioSession, page: Page, size: string): Promise<{ id: string; bytes: Uint8Array }> {
  await page.getByRole('button', { name: 'Export' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /PNG/ }).check();
  await dialog.getByText(size, { exact: true }).waitFor();
  await dialog.getByRole('textbox', { name: 'File name' }).fill('{id}');
  const file = await session.exportedFile(() => dialog.getByRole('button', { name: 'Export' }).click());
  return { id: file.name.replace(/\.png$/, ''), bytes: file.bytes };
}

/** RGB rows of a block of a decoded PNG, as one byte string per row. */
function rows(bytes: Uint8Array, left: number, top: number, width: number, height: number): string[] {
  const image = decode(bytes);
  const out: string[] = [];
  for (let y = top; y < top + height; y++) {
    const from = (y * image.width + left) * image.channels;
    out.push(Buffer.from(image.data.subarray(from, from + width * image.channels)).toString('hex'));
  }
  return out;
}

describe.skipIf(bridgeTarget.unavailable() !== null).sequential('extend the canvas', () => {
  let session: StudioSession;
  let page: Page;
  bridgeSuite(async (opened) => {
    session = opened;
    page = opened.page;
    await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('2');
    await generate(page, 'a red circle at the left');
  });

  test('Extend grows a gallery image on the chosen side into a new, larger image linked to it, the kept part pixel for pixel the source', async () => {
    const gallery = page.getByRole('region', { name: 'Gallery' });
    await gallery.getByRole('gridcell').first().click();
    const source = await exportSelected(session, page, '64 × 64 px');

    await page.getByRole('button', { name: 'Extend', exact: true }).click();
    const view = page.getByRole('region', { name: 'Extend' });
    await view.getByRole('radiogroup', { name: 'Extend side' }).getByRole('radio', { name: 'Right' }).click();
    const amount = view.getByRole('spinbutton', { name: 'Extend by' });
    await amount.fill('3');
    await amount.press('Enter');
    // The live preview: the grown frame, its new strip, before anything runs.
    await view.getByRole('img', { name: 'Preview: the image with 3 new columns at the right' }).waitFor();
    await expect.poll(() => view.getByText('8 × 8 → 11 × 8 cells · 88 × 64 px').count()).toBe(1);
    await expect.poll(() => view.getByText('3 columns = 24 px').count()).toBe(1);

    await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a red circle at the left and a blue square at the right');
    await view.getByRole('button', { name: 'Extend image' }).click();
    await waitForCandidates(page);
    await view.getByRole('img', { name: /^Extended image, best candidate/ }).waitFor();

    await page.getByRole('button', { name: 'Back to the gallery' }).click();
    const newest = gallery.getByRole('gridcell').first();
    await newest.getByText('extended').waitFor();
    await newest.click();
    const extended = await exportSelected(session, page, '88 × 64 px');
    const png = readPngInfo(extended.bytes);
    expect([png.width, png.height]).toEqual([88, 64]);
    expect(png.text.parameters).toContain(`Size: 88x64, Model: shapes-v1, Source: ${source.id}, Extend: right by 3`);
    expect(JSON.parse(png.text['parti-studio']!)).toMatchObject({ kind: 'extend', sourceId: source.id, extension: { side: 'right', by: 3, columns: 11, rows: 8 } });
    expect(rows(extended.bytes, 0, 0, 64, 64)).toEqual(rows(source.bytes, 0, 0, 64, 64));
  });

  test('the editor refuses a non-square extension in one line, and the extension can be extended again', async () => {
    await page.getByRole('button', { name: 'Open in editor' }).click();
    await page.getByText('The editor paints square images, and this extension is 11 × 8 cells: extend it again, or export it.').waitFor();

    await page.getByRole('button', { name: 'Extend', exact: true }).click();
    const view = page.getByRole('region', { name: 'Extend' });
    const sides = view.getByRole('radiogroup', { name: 'Extend side' });
    // 11 columns wide: it grows only left or right.
    expect(await sides.getByRole('radio', { name: 'Top' }).isDisabled()).toBe(true);
    expect(await sides.getByRole('radio', { name: 'Left' }).isDisabled()).toBe(false);
    await sides.getByRole('radio', { name: 'Left' }).click();
    await view.getByRole('img', { name: /^Preview: the image with \d+ new columns at the left/ }).waitFor();
    const amount = view.getByRole('spinbutton', { name: 'Extend by' });
    await amount.fill('2');
    await amount.press('Enter');
    await view.getByRole('button', { name: 'Extend image' }).click();
    await waitForCandidates(page);
    await page.getByRole('button', { name: 'Back to the gallery' }).click();
    await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').first().click();
    const twice = readPngInfo((await exportSelected(session, page, '104 × 64 px')).bytes);
    expect([twice.width, twice.height]).toEqual([104, 64]);
    expect(JSON.parse(twice.text['parti-studio']!)).toMatchObject({ extension: { side: 'left', by: 2, columns: 13, rows: 8 } });
  });
});
