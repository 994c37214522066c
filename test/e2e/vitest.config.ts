import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The end-to-end run: one studio per target, its tests in order, the renderer built first.
export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
