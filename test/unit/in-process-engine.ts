/**
 * An engine launcher for tests that are not about the process boundary: the engine side of
 * the protocol (serve.ts) runs in this process, and every message is structured-cloned and
 * delivered on a later turn, as between processes. The same protocol and code as the
 * engine process, without starting one (seconds on a loaded machine) for every store test.
 * Tests of the process itself (crash, restart) use the real fork.
 */
import type { EngineLauncher } from '../../main/engine/process/engine-process';
import { serveEngine } from '../../main/engine/process/serve';

export function inProcessEngineLauncher(): EngineLauncher {
  return () => {
    let alive = true;
    let toEngine: (message: unknown) => void = () => undefined;
    const toStudio: ((message: unknown) => void)[] = [];
    const exitListeners: ((how: string) => void)[] = [];
    const deliver = (listeners: readonly ((message: unknown) => void)[], message: unknown) => {
      const copy = structuredClone(message);
      setImmediate(() => alive && listeners.forEach((listener) => listener(copy)));
    };
    const served = serveEngine({ send: (message) => deliver(toStudio, message), onMessage: (listener) => (toEngine = listener) });
    return {
      send: (message) => deliver([(copy) => toEngine(copy)], message),
      onMessage: (listener) => void toStudio.push(listener),
      onExit: (listener) => void exitListeners.push(listener),
      kill() {
        if (!alive) return;
        alive = false;
        void served.close().then(() => exitListeners.forEach((listener) => listener('closed')));
      },
    };
  };
}
