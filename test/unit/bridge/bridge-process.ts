/**
 * A bridge in a process of its own, for tests that must see whether it survives:
 * `tsx bridge-process.ts DATA_DIR RENDERER_DIR MODELS_DIR` prints `{url, port, token}` once
 * listening; with `--print-settings` it prints what `settings.get` answers instead.
 */
import { startBridge } from '../../../main/bridge/server';

const [dataDir, rendererDir, embeddedModelsDir, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const bridge = await startBridge({ dataDir, rendererDir, embeddedModelsDir, log: () => undefined });
await bridge.studio.ready;
if (mode === '--print-settings') console.log(JSON.stringify(await bridge.studio.dispatch('settings.get', undefined, { startDrag: () => false })));
else console.log(JSON.stringify({ url: bridge.url, port: bridge.port, token: bridge.token }));
process.once('SIGTERM', () => void bridge.close().then(() => process.exit(0)));
