/**
 * The studio end to end, driving the real engine on a temporary data folder: the flows an
 * artist goes through, found by the accessible names the issue lists.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { readPngInfo } from './png';
import { dropFile, favourite, openInEditor, paintStroke, waitForCandidates } from './studio-actions';
import { bridgeTarget, electronTarget, type StudioSession } from './targets';

const PROMPT = 'a red circle';
const UI_TIMEOUT_MS = 15_000;

/** Playwright's own web-first assertions come with @playwright/test; vitest's poll does the same here. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 100 });

const gallery = (page: Page) => page.getByRole('region', { name: 'Gallery' });
const galleryImages = (page: Page, prompt: string) => gallery(page).getByRole('img', { name: prompt, exact: true });

for (const target of [bridgeTarget, electronTarget]) {
  const skipReason = target.unavailable();
  if (skipReason) console.log(`Skipping the end-to-end tests in the ${target.name}: ${skipReason}.`);

  describe.skipIf(skipReason !== null).sequential(target.name, () => {
    let session: StudioSession;
    let page: Page;
    let exportedPng: { name: string; bytes: Uint8Array };

    beforeAll(async () => {
      session = await target.start();
      page = session.page;
      page.setDefaultTimeout(UI_TIMEOUT_MS);
      // Two candidates keep each run short on a busy machine.
      await page.getByRole('spinbutton', { name: 'Candidates value' }).fill('2');
    });
    afterAll(async () => {
      await session?.close();
    });
    afterEach(async ({ task }) => {
      // What the page showed when a step failed: enough to tell a UI problem from a slow engine.
      if (task.result?.state === 'fail') console.log(`Page at failure:\n${await page.locator('body').ariaSnapshot()}`);
    });

    test('generates from a prompt, live; the whole run is in the gallery, and the best can be made a favourite', async () => {
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(PROMPT);
      await page.getByRole('button', { name: 'Generate' }).click();
      const candidates = page.getByRole('region', { name: 'Candidates' });
      await candidates.waitFor();
      await waitForCandidates(page);
      await eventually(() => candidates.getByRole('img').count()).toBe(2);
      expect(await candidates.getByRole('img').first().getAttribute('alt')).toMatch(/best/);
      await galleryImages(page, PROMPT).first().waitFor();
      await eventually(() => galleryImages(page, PROMPT).count()).toBe(2);
      await favourite(page);
      await eventually(() => gallery(page).getByRole('button', { name: 'Favourite', pressed: true }).count()).toBe(1);
    });

    test('keeps the history and the gallery across a reload', async () => {
      await page.reload();
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).waitFor();
      await galleryImages(page, PROMPT).first().waitFor();
      const history = page.getByRole('region', { name: 'History' });
      await history.getByText(PROMPT, { exact: true }).waitFor();
      // Up recalls the last prompt like a shell.
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('');
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).press('ArrowUp');
      await eventually(() => page.getByRole('textbox', { name: 'Prompt', exact: true }).inputValue()).toBe(PROMPT);
    });

    test('exports a 4× PNG whose parameters read back from the file', async () => {
      await galleryImages(page, PROMPT).first().click();
      await page.getByRole('button', { name: 'Export' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('radio', { name: /PNG/ }).check();
      await dialog.getByRole('radio', { name: '4×' }).click();
      exportedPng = await session.exportedFile(() => dialog.getByRole('button', { name: 'Export' }).click());
      const png = readPngInfo(exportedPng.bytes);
      expect([png.width, png.height]).toEqual([256, 256]);
      const parameters = JSON.parse(png.text['parti-studio'] ?? 'null');
      expect(parameters).toMatchObject({ kind: 'generate', prompt: PROMPT, settings: { candidates: 2 } });
      expect(Number.isInteger(parameters.seed)).toBe(true);
    });

    test('opens a dropped PNG in the editor, offers its settings, and explains other files', async () => {
      await dropFile(page, { name: 'notes.txt', mimeType: 'text/plain', bytes: new TextEncoder().encode('hello') });
      await page.getByText('“notes.txt” is not an image the studio can open').waitFor();

      await dropFile(page, { name: exportedPng.name, mimeType: 'image/png', bytes: exportedPng.bytes });
      await page.getByRole('region', { name: 'Editor' }).getByLabel('Mask').waitFor();
      await page.getByRole('button', { name: 'Use its settings' }).click();
      await eventually(() => page.getByRole('textbox', { name: 'Prompt', exact: true }).inputValue()).toBe(PROMPT);
      await eventually(() => page.getByRole('button', { name: 'Lock seed' }).getAttribute('aria-pressed')).toBe('true');
      await page.getByRole('button', { name: 'Close editor' }).click();
    });

    test('paints a mask, regenerates the cells, and the edits are new images in the gallery', async () => {
      await openInEditor(page, 0);
      const editor = page.getByRole('region', { name: 'Editor' });
      await editor.getByText(/Paint over/).waitFor();
      await paintStroke(page, [
        [0.2, 0.2],
        [0.5, 0.25],
        [0.45, 0.5],
      ]);
      await editor.getByText(/cells will be regenerated/).waitFor();
      await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a blue square');
      await editor.getByRole('button', { name: 'Regenerate' }).click();
      await waitForCandidates(page);
      // Before and after: the divider slider wipes the result over the source.
      await editor.getByRole('button', { name: 'Before and after' }).click();
      await editor.getByRole('slider', { name: 'Before and after divider' }).fill('20');
      const after = editor.getByRole('img', { name: /^After: a blue square/ });
      await eventually(() => after.evaluate((img) => (img as HTMLElement).style.clipPath)).toMatch(/ 20%\)$/);
      await editor.getByRole('button', { name: 'Before and after' }).click();
      await editor.getByRole('button', { name: 'Close editor' }).click();
      await galleryImages(page, 'a blue square').first().waitFor();
      await eventually(() => gallery(page).getByText('edit', { exact: true }).count()).toBe(2);
    });

    test('deletes an image to the trash and brings it back with Undo', async () => {
      const before = await gallery(page).getByRole('gridcell').count();
      await galleryImages(page, PROMPT).first().click();
      await page.getByRole('button', { name: 'Delete' }).click();
      await eventually(() => galleryImages(page, PROMPT).count()).toBe(1);
      await eventually(() => gallery(page).getByRole('gridcell').count()).toBe(before - 1);
      await page.getByRole('button', { name: 'Undo' }).click();
      await galleryImages(page, PROMPT).first().waitFor();
      await eventually(() => gallery(page).getByRole('gridcell').count()).toBe(before);
    });
  });
}
