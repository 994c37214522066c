/**
 * `npm run serve -- [--port N] [--data-dir DIR] [--no-build]`: builds the renderer, starts
 * the loopback bridge and prints the URL to open (token included) as soon as it listens.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { dataDirFromArgs, defaultDataDir, optionValue } from '../library/index';
import { startBridge } from './server';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rendererDir = path.join(root, 'dist', 'renderer');

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
    await build({ configFile: path.join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  }
  const bridge = await startBridge({ dataDir, rendererDir, port });
  console.log(`Parti Studio is listening on ${bridge.url}`);
  console.error(`Library: ${dataDir}`);
  bridge.studio.ready.then(
    () => console.error('Model ready.'),
    (error: unknown) => console.error(`Model not loaded: ${(error as Error).message}`),
  );
  const stop = () => void bridge.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`npm run serve: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
