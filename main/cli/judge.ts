/**
 * The model's Python judge and prompt sampler, through native-models/training/eval_helper.py
 * (world.prompts, world.judge): what `eval` and `eval-extend` share.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError, EXIT } from './common.js';

const HELPER = path.join(import.meta.dirname, '..', '..', 'native-models', 'training', 'eval_helper.py');

/** Runs eval_helper.py with `args`; its stdout, or a one-line EXIT.evaluation error. */
export function evalHelper(args: string[]): string {
  const run = spawnSync('/usr/bin/python3', [HELPER, ...args], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || 'no output').trim().split('\n').at(-1);
    throw new CliError(`the judge could not run: ${why}`, EXIT.evaluation);
  }
  return run.stdout;
}

export interface Verdict {
  png: string;
  caption: string;
  satisfied: boolean;
}

/** Judges each PNG against its caption (batch file written to `batchFile`); verdicts in the same order. */
export async function judgeImages(batch: readonly { png: string; caption: string }[], batchFile: string): Promise<Verdict[]> {
  await writeFile(batchFile, batch.map(({ png, caption }) => JSON.stringify({ png, caption })).join('\n') + '\n');
  return evalHelper(['judge', '--batch', batchFile]).trim().split('\n').map((line) => JSON.parse(line) as Verdict);
}
