/**
 * The engine process as a Node child (`child_process.fork`), for the bridge and tests: a
 * separate process, so a native crash in ONNX Runtime ends only it. From the TypeScript
 * sources it runs under tsx's loader; a built entry (`.js`) runs as it is.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeExit, engineProcessStart, type EngineLauncher } from './engine-process.js';

/** The child's entry beside this file. */
export const ENGINE_CHILD_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.ts');

export function forkEngineLauncher(entry: string = ENGINE_CHILD_SOURCE): EngineLauncher {
  const start = engineProcessStart();
  const loader = entry.endsWith('.ts') ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : [];
  return () => {
    const child = fork(entry, [], { serialization: 'advanced', env: start.env, execArgv: [...start.execArgv, ...loader], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let exited = false;
    const exitListeners: ((how: string) => void)[] = [];
    const ended = (how: string) => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(how);
    };
    child.once('exit', (code, signal) => ended(describeExit(code, signal)));
    // A failed spawn or a send to a process that has just died: report it as its end, never throw.
    child.on('error', (error) => {
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) ended(`could not start: ${error.message}`);
    });
    return {
      send: (message) => void (child.connected && child.send(message)),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void exitListeners.push(listener),
      kill: () => void child.kill(),
    };
  };
}
