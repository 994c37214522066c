/**
 * A bridge in a process of its own, for tests that must see whether it survives:
 * `tsx bridge-process.ts DATA_DIR RENDERER_DIR MODELS_DIR` prints `{url, port, token}` once listening.
 */
import { startBridge } from '../../../main/bridge/server';

const [dataDir, rendererDir, embeddedModelsDir] = process.argv.slice(2) as [string, string, string];
const bridge = await startBridge({ dataDir, rendererDir, embeddedModelsDir, log: () => undefined });
await bridge.studio.ready;
console.log(JSON.stringify({ url: bridge.url, port: bridge.port, token: bridge.token }));
process.once('SIGTERM', () => void bridge.close().then(() => process.exit(0)));
