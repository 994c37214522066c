/**
 * `npm run serve -- [--port N] [--data-dir DIR]`: builds the renderer and this host
 * (main/bridge/build.ts), starts the loopback bridge from the build and prints the URL to
 * open (token included) as soon as it listens. `tsx main/bridge/serve.ts` runs it from the
 * sources instead, the engine forked from its TypeScript entry.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_BUNDLE_NAME } from '../engine/process/engine-process';
import { forkEngineLauncher } from '../engine/process/fork';
import { dataDirFromArgs, defaultDataDir, optionValue } from '../library/index';
import { startBridge } from './server';

/** main/bridge/serve.ts and dist/bridge/serve.js alike sit two folders below the app's root. */
const here = fileURLToPath(import.meta.url);
const appRoot = path.resolve(path.dirname(here), '..', '..');
const built = here.endsWith('.js');

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, not "${value}"`);
  return port;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const port = parsePort(optionValue(argv, '--port'));
  const dataDir = dataDirFromArgs(argv) ?? defaultDataDir();
  const bridge = await startBridge({
    dataDir,
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
    embeddedModelsDir: path.join(appRoot, 'native-models'),
    port,
    ...(built ? { launchEngine: forkEngineLauncher(path.join(path.dirname(here), `${ENGINE_BUNDLE_NAME}.js`)) } : {}),
  });
  console.log(`Parti Studio is listening on ${bridge.url}`);
  console.error(`Library: ${dataDir}`);
  void bridge.studio.ready.then(({ model, modelError, activeProvider, providerNotes }) => {
    const fellBack = providerNotes.length ? ` (${providerNotes.map((note) => note.split(':')[0]).join(', ')}; reasons in Settings)` : '';
    console.error(model ? `Model ${model.id} on ${activeProvider}${fellBack}.` : `No model loaded: ${modelError}`);
  });
  const stop = () => void bridge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`npm run serve: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
