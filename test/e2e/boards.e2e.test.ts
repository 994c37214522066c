/**
 * Boards in Chromium through the bridge (#13 item 6): make a board, add images by the menu
 * and by dragging a tile onto it, show it, move an image to another board, search by seed
 * and by words, and export the board as one zip download holding its images' parameters.
 */
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { parametersIn } from '../../main/studio/imports';
import { seriousViolations } from './axe';
import { chromiumAvailable } from './harness';
import { promptFor } from './seed-library';
import { boardButton, makeBoard as makeBoardIn } from './studio-actions';
import { seededBridgeSuite } from './targets';

const IMAGES = 6;

describe.skipIf(!chromiumAvailable()).sequential('boards', () => {
  let page: Page;
  seededBridgeSuite(IMAGES, (opened) => {
    page = opened;
  });

  const gallery = () => page.getByRole('region', { name: 'Gallery' });
  const boards = () => page.getByRole('region', { name: 'Boards' });
  const tile = (index: number) => gallery().getByRole('gridcell').filter({ has: page.getByRole('img', { name: promptFor(index), exact: true }) });
  const shownPrompts = async () => gallery().getByRole('grid').getByRole('img').evaluateAll((images) => images.map((image) => image.getAttribute('alt')));
  const board = (name: string) => boardButton(page, name);
  const makeBoard = (name: string) => makeBoardIn(page, name);

  test('a board takes two images from the Add to board menu and one dragged onto it, and filters the gallery', async () => {
    await tile(0).waitFor();
    await makeBoard('Keepers');
    await makeBoard('Elsewhere');
    await boards().getByRole('button', { name: 'All images', exact: true }).click();
    await tile(0).click();
    await tile(1).click({ modifiers: ['Control'] });
    await page.getByRole('button', { name: 'Add to board' }).click();
    await page.getByRole('menu', { name: 'Add to board' }).getByRole('menuitem', { name: 'Keepers' }).click();
    await board('Keepers').filter({ hasText: '2' }).waitFor();
    await tile(2).click();
    await tile(2).dragTo(board('Keepers'));
    await expect.poll(() => board('Keepers').textContent()).toContain('3');
    await board('Keepers').click();
    await expect.poll(shownPrompts).toEqual([promptFor(2), promptFor(1), promptFor(0)]);
  });

  test('Move to board takes an image out of the board shown and into another', async () => {
    await tile(1).click();
    await page.getByRole('button', { name: 'Move to board' }).click();
    expect(await page.getByRole('menu', { name: 'Move to board' }).getByRole('menuitem').count()).toBe(1); // not the board it is in
    expect(await seriousViolations(page)).toEqual([]); // the boards, the filters and an open menu
    await page.getByRole('menu', { name: 'Move to board' }).getByRole('menuitem', { name: 'Elsewhere' }).click();
    await expect.poll(shownPrompts).toEqual([promptFor(2), promptFor(0)]);
    await board('Elsewhere').click();
    await expect.poll(shownPrompts).toEqual([promptFor(1)]);
  });

  test('search finds by seed and by whole words in any order, within the board shown', async () => {
    await board('Keepers').click();
    const search = page.getByRole('searchbox', { name: 'Search gallery' });
    await search.fill('2');
    await expect.poll(shownPrompts).toEqual([promptFor(2)]); // seed 2
    await search.fill('circle red');
    await expect.poll(shownPrompts).toEqual([promptFor(0)]);
    await search.fill('circ');
    await gallery().getByText('Nothing matches').waitFor(); // whole words only
    await search.fill('');
    await expect.poll(shownPrompts).toEqual([promptFor(2), promptFor(0)]);
  });

  test('the model filter and the date range (local days, both ends inclusive) narrow the gallery', async () => {
    await boards().getByRole('button', { name: 'All images', exact: true }).click();
    const everything = Array.from({ length: IMAGES }, (_, index) => promptFor(IMAGES - 1 - index));
    const filter = page.getByRole('combobox', { name: 'Model filter' });
    await expect.poll(() => filter.getByRole('option').allTextContents()).toEqual(['All models', `seeded (${IMAGES})`]);
    await filter.selectOption('seeded');
    await expect.poll(shownPrompts).toEqual(everything);
    const day = (time: number) => new Date(time - new Date(time).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
    const dayMs = 24 * 3600_000;
    const from = page.getByLabel('From date');
    const to = page.getByLabel('To date');
    await from.fill(day(Date.now() + dayMs));
    await gallery().getByText('Nothing matches').waitFor(); // all were made today
    await from.fill(day(Date.now() - 60_000)); // the seeded images are seconds old
    await to.fill(day(Date.now()));
    await expect.poll(shownPrompts).toEqual(everything);
    await from.fill('');
    await to.fill(day(Date.now() - dayMs));
    await gallery().getByText('Nothing matches').waitFor();
    await to.fill('');
    await filter.selectOption('');
    await expect.poll(shownPrompts).toEqual(everything);
  });

  test('the board exports as one zip download holding each of its images with its parameters', async () => {
    await board('Keepers').click();
    await boards().getByRole('button', { name: 'Export board' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Downloaded as one zip file').waitFor();
    const downloads: string[] = [];
    page.on('download', (download) => downloads.push(download.suggestedFilename()));
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export' }).click()]);
    const bytes = fs.readFileSync((await download.path())!);
    await page.waitForTimeout(300); // a second download, were there one, would have started by now
    expect(downloads).toEqual(['Keepers.zip']);
    const entries = unzipSync(new Uint8Array(bytes));
    const parameters = Object.values(entries).map((png) => parametersIn(png));
    expect(parameters.map((p) => p?.prompt).sort()).toEqual([promptFor(0), promptFor(2)].sort());
    expect(parameters.map((p) => p?.seed).sort()).toEqual([0, 2]);
  });
});
