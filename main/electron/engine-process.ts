/**
 * The engine process in the Electron app: a utility process running the built child
 * (dist/main/engine-process.js). Everything else about it is shared with the bridge's
 * fork (main/engine/process/).
 */
import { utilityProcess } from 'electron';
import { describeExit, engineProcessStart, type EngineLauncher } from '../engine/process/engine-process';

export function utilityEngineLauncher(entry: string): EngineLauncher {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Parti Studio engine', stdio: 'inherit', ...engineProcessStart() });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.once('exit', (code) => listener(describeExit(code, null))),
      kill: () => void child.kill(),
    };
  };
}
