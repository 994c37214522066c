/**
 * The engine processes under a process (this one by default), found through /proc (Linux):
 * what a test kills to play a native crash or the out-of-memory killer.
 */
import fs from 'node:fs';
import type { GenerationFinished, PartiApi } from '../../../main/common/contract';

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // it has just exited
  }
}

/** A process's command line, its arguments joined by spaces; '' once it has exited. */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The engine's entry on a command line: its TypeScript source, or the built bundle (dist/). */
const ENGINE_ENTRY = /engine\/process\/child\.ts|engine-process\.js/;

/** Pids of live engine processes descending from `root`, oldest first. */
export function engineProcessPids(root = process.pid): number[] {
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of childrenOf(pid)) {
      if (ENGINE_ENTRY.test(commandLine(child))) found.push(child);
      else visit(child);
    }
  };
  visit(root);
  return found.sort((a, b) => a - b);
}

/**
 * Arms a SIGKILL of the (one) engine process under this one for the next progress event
 * `api` reports, i.e. mid-run, and collects every run's outcome by job id.
 */
export function killEngineMidRun(api: PartiApi): { engine: number | undefined; finished: Map<string, GenerationFinished> } {
  const finished = new Map<string, GenerationFinished>();
  api.generation.onFinished((event) => finished.set(event.jobId, event));
  const [engine] = engineProcessPids();
  const stopOnFirstProgress = api.generation.onProgress(() => {
    stopOnFirstProgress();
    if (engine !== undefined) process.kill(engine, 'SIGKILL');
  });
  return { engine, finished };
}
