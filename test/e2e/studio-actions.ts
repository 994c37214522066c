/** What a user does in the studio, in Playwright terms: shared by the tests and the screenshots. */
import type { Page } from 'playwright-core';

const GENERATION_TIMEOUT_MS = 120_000;

export async function generate(page: Page, prompt: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByRole('button', { name: 'Generate' }).click();
  await waitForCandidates(page);
}

/** Waits until a run is over and its candidates (saved by main) can be curated. */
export async function waitForCandidates(page: Page): Promise<void> {
  const candidates = page.getByRole('region', { name: 'Candidates' });
  await candidates.waitFor();
  await candidates.getByRole('button', { name: 'Favourite' }).waitFor({ timeout: GENERATION_TIMEOUT_MS });
}

/** Marks the chosen candidates (the best one unless others are chosen) favourite. */
export async function favourite(page: Page): Promise<void> {
  const candidates = page.getByRole('region', { name: 'Candidates' });
  await candidates.getByRole('button', { name: 'Favourite' }).click();
  await candidates.getByText('★ favourite').first().waitFor();
}

export async function openInEditor(page: Page, index: number): Promise<void> {
  await page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell').nth(index).dblclick();
  await page.getByRole('region', { name: 'Editor' }).getByLabel('Mask').waitFor();
}

/** Marks the first two cells of the open editor from the keyboard (arrows and Space). */
export async function markTwoCellsByKeyboard(page: Page): Promise<void> {
  const cells = page.getByRole('grid', { name: 'Cells to regenerate' });
  await cells.getByRole('gridcell').first().focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await page.getByText('2 of 64 cells will be regenerated').waitFor();
}

/** Drags across the mask through points given as fractions of its size. */
export async function paintStroke(page: Page, points: [number, number][]): Promise<void> {
  const box = await page.getByLabel('Mask').boundingBox();
  if (!box) throw new Error('the mask canvas is not on screen');
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  const [first, ...rest] = points;
  if (!first) return;
  await page.mouse.move(...at(first));
  await page.mouse.down();
  for (const point of rest) await page.mouse.move(...at(point), { steps: 8 });
  await page.mouse.up();
}

/** Drops a file on the page the way a file manager does. */
export async function dropFile(page: Page, file: { name: string; mimeType: string; bytes: Uint8Array }): Promise<void> {
  await page.evaluate(
    ({ name, mimeType, base64 }) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: mimeType }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    { name: file.name, mimeType: file.mimeType, base64: Buffer.from(file.bytes).toString('base64') },
  );
}

/** Makes a board from the Boards region's New board field and waits until it is listed. */
export async function makeBoard(page: Page, name: string): Promise<void> {
  const boards = page.getByRole('region', { name: 'Boards' });
  await boards.getByRole('button', { name: 'New board' }).click();
  await boards.getByRole('textbox', { name: 'New board name' }).fill(name);
  await boards.getByRole('button', { name: 'Make board' }).click();
  await boardButton(page, name).waitFor();
}

/** A board's button in the Boards region (its name, then its count). */
export const boardButton = (page: Page, name: string) =>
  page.getByRole('region', { name: 'Boards' }).getByRole('button', { name: new RegExp(`^${name}\\b`) });

/** Three boards, two of them holding images, the first shown with the Move to board menu open: the boards screenshot. */
export async function showBoards(page: Page): Promise<void> {
  const tiles = page.getByRole('region', { name: 'Gallery' }).getByRole('gridcell');
  await tiles.first().waitFor();
  for (const name of ['Keepers', 'Client picks', 'Sketches']) await makeBoard(page, name);
  await page.getByRole('region', { name: 'Boards' }).getByRole('button', { name: 'All images', exact: true }).click();
  await tiles.nth(0).click();
  await tiles.nth(4).click({ modifiers: ['Shift'] });
  await page.getByRole('button', { name: 'Add to board' }).click();
  await page.getByRole('menuitem', { name: 'Keepers' }).click();
  await tiles.nth(6).click();
  await tiles.nth(6).dragTo(boardButton(page, 'Client picks'));
  await boardButton(page, 'Keepers').click();
  await tiles.nth(1).click();
  await page.getByRole('button', { name: 'Move to board' }).click();
  await page.getByRole('menuitem', { name: 'Client picks' }).waitFor();
}
