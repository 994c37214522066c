/**
 * The engine process's entry: serves one Engine (serve.ts) to the studio that started it,
 * a Node fork (`process.send`) in the bridge or an Electron utility process
 * (`process.parentPort`) in the app; nothing else differs. It exits when its parent goes.
 */
import { serveEngine, type ParentPort } from './serve.js';

/** Electron's utility-process port (not in @types/node). */
interface UtilityParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function parentPort(): ParentPort {
  const utility = (process as { parentPort?: UtilityParentPort }).parentPort;
  if (utility) return { send: (message) => utility.postMessage(message), onMessage: (listener) => utility.on('message', (event) => listener(event.data)) };
  if (!process.send) throw new Error('the engine process must be started by the studio (fork or utilityProcess), not on its own');
  process.once('disconnect', () => process.exit(0));
  return { send: (message) => void process.send!(message), onMessage: (listener) => process.on('message', listener) };
}

serveEngine(parentPort());
