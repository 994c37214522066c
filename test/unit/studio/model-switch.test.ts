/** Switching the model in Settings validates the new one first and keeps the working one on any failure. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES, openInProcessStudio, type InProcessStudio } from '../in-process-studio';

let main: InProcessStudio;
beforeAll(async () => void (main = await openInProcessStudio()));
afterAll(() => main.close());

/** A copy of the tiny package with its manifest changed by `mutate`. */
function brokenPackage(name: string, mutate: (manifest: Record<string, any>) => void): string {
  const dir = path.join(main.exportDir, '..', name);
  fs.cpSync(path.join(FIXTURES, 'tiny-package'), dir, { recursive: true });
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  mutate(manifest);
  fs.writeFileSync(manifestPath, JSON.stringify(manifest));
  return dir;
}

describe('switching to a broken model package', () => {
  test.each([
    ['a grid of 100,000', (m: Record<string, any>) => void (m.image.grid = 100_000), /image\.grid: 100000 × 100000 image tokens/],
    ['a file outside the package', (m: Record<string, any>) => void (m.files['../../etc/passwd'] = { bytes: 1, sha256: '0'.repeat(64) }), /must be a path inside the package folder/],
    ['defaults out of range', (m: Record<string, any>) => void (m.defaults.temperature = -1), /defaults\.temperature/],
  ])('with %s is refused in one line; the working model stays and settings.get still answers', async (name, mutate, reason) => {
    const before = await main.api.settings.get();
    const dir = brokenPackage(name.replace(/\W+/g, '-'), mutate);
    const refusal = main.api.settings.set({ modelPackage: dir });
    await expect(refusal).rejects.toThrow(/^Could not open the model package: /);
    await expect(refusal).rejects.toThrow(reason);
    const after = await main.api.settings.get();
    expect(after.settings).toEqual(before.settings);
    expect(after.runtime).toMatchObject({ model: { id: 'tiny-test' }, modelError: null });
  });
});
