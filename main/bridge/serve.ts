/**
 * `npm run serve -- [--port N] [--data-dir DIR] [--no-build]`: builds the renderer, starts
 * the loopback bridge and prints the URL to open (token included) as soon as it listens.
 */
import { dataDirFromArgs, defaultDataDir, optionValue } from '../library/index';
import { buildRenderer, RENDERER_DIST } from './build';
import { startBridge } from './server';

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
  if (!argv.includes('--no-build')) {
    console.error('Building the renderer…');
    await buildRenderer();
  }
  const bridge = await startBridge({ dataDir, rendererDir: RENDERER_DIST, port });
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
