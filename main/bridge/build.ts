/**
 * Builds what the two hosts run: the renderer (both), and for Electron the main process
 * (ESM, dependencies left in node_modules) and the preload (one CommonJS file, since a
 * sandboxed preload cannot load modules).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const RENDERER_DIST = path.join(DIST, 'renderer');

export async function buildRenderer(): Promise<void> {
  await build({ configFile: path.join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

/** Bundles each entry (output name -> source) into `outDir`, as the Electron main process ships. */
export async function buildNode(entries: Record<string, string>, outDir: string, format: 'es' | 'cjs', bundleDependencies: boolean): Promise<void> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    ssr: { noExternal: bundleDependencies ? true : [], external: ['electron'] },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      sourcemap: true,
      rollupOptions: {
        input: entries,
        external: ['electron'],
        output: { format, entryFileNames: format === 'cjs' ? '[name].cjs' : '[name].js' },
      },
    },
  });
}

/** Renderer, main (and the engine process it starts) and preload, ready for `electron .`. */
export async function buildElectron(): Promise<void> {
  await buildRenderer();
  await buildNode(
    { index: path.join(ROOT, 'main', 'electron', 'index.ts'), 'engine-process': path.join(ROOT, 'main', 'engine', 'process', 'child.ts') },
    path.join(DIST, 'main'),
    'es',
    false,
  );
  await buildNode({ index: path.join(ROOT, 'preload', 'index.ts') }, path.join(DIST, 'preload'), 'cjs', true);
}

// `npm run build`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildElectron().catch((error: unknown) => {
    console.error(`npm run build: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
