/**
 * A bridge in a process of its own, for tests that must see whether it survives:
 * `tsx bridge-process.ts DATA_DIR RENDERER_DIR MODELS_DIR [--print-settings] [--engine ENTRY]`
 * prints `{url, port, token}` once listening; with `--print-settings` it prints what
 * `settings.get` answers instead. `--engine` names a built engine entry to fork (a bundle of
 * this file, as the soak runs it, has no TypeScript sources beside it).
 */
import { parseArgs } from 'node:util';
import { startBridge } from '../../../main/bridge/server';
import { forkEngineLauncher } from '../../../main/engine/process/fork';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'print-settings': { type: 'boolean', default: false }, engine: { type: 'string' } },
});
const [dataDir, rendererDir, embeddedModelsDir] = positionals as [string, string, string];
const bridge = await startBridge({
  dataDir,
  rendererDir,
  embeddedModelsDir,
  ...(values.engine ? { launchEngine: forkEngineLauncher(values.engine) } : {}),
  log: () => undefined,
});
await bridge.studio.ready;
if (values['print-settings']) console.log(JSON.stringify(await bridge.studio.dispatch('settings.get', undefined, { startDrag: () => false })));
else console.log(JSON.stringify({ url: bridge.url, port: bridge.port, token: bridge.token }));
process.once('SIGTERM', () => void bridge.close().then(() => process.exit(0)));
