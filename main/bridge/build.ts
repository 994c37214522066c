/**
 * Builds what the two hosts run: the renderer (both); the main process of each (ESM,
 * dependencies left in node_modules), with the engine process's entry beside it; and for
 * Electron the preload (one CommonJS file, since a sandboxed preload cannot load modules).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { ENGINE_BUNDLE_NAME } from '../engine/process/engine-process';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const RENDERER_DIST = path.join(DIST, 'renderer');
export const BRIDGE_DIST = path.join(DIST, 'bridge');
/** The engine process's entry, built beside each host's. */
const ENGINE_ENTRY = { [ENGINE_BUNDLE_NAME]: path.join(ROOT, 'main', 'engine', 'process', 'child.ts') };

export async function buildRenderer(): Promise<void> {
  await build({ configFile: path.join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

/** Bundles each entry (output name -> source) into `outDir`. */
async function buildNode(entries: Record<string, string>, outDir: string, format: 'es' | 'cjs', bundleDependencies: boolean): Promise<void> {
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
    { index: path.join(ROOT, 'main', 'electron', 'index.ts'), ...ENGINE_ENTRY },
    path.join(DIST, 'main'),
    'es',
    false,
  );
  await buildNode({ index: path.join(ROOT, 'preload', 'index.ts') }, path.join(DIST, 'preload'), 'cjs', true);
}

/**
 * Renderer and the bridge host, run by `npm run serve` as `node dist/bridge/serve.js`: bundled
 * as Electron's main is, so the bridge runs without tsx's loader (its thread alone holds some
 * 45 MB of start-up heap, see test/bench/README.md) and starts in half the time.
 */
export async function buildBridge(): Promise<void> {
  await buildRenderer();
  await buildNode({ serve: path.join(ROOT, 'main', 'bridge', 'serve.ts'), ...ENGINE_ENTRY }, BRIDGE_DIST, 'es', false);
}

// `npm run build` (Electron), `npm run build -- --bridge` (what `npm run serve` runs)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bridge = process.argv.includes('--bridge');
  (bridge ? buildBridge() : buildElectron()).catch((error: unknown) => {
    console.error(`npm run ${bridge ? 'serve' : 'build'}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
