/** The command line's contract with scripts: outputs, exit codes, one-line errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPngMetadata } from '../../../main/engine/png.js';
import { FIXTURES, TINY_PACKAGE } from './fixtures.js';

const REPO = path.resolve(FIXTURES, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'parti-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(script: string, args: string[]) {
  const run = spawnSync(process.execPath, [path.join(REPO, 'node_modules/tsx/dist/cli.mjs'), path.join(REPO, 'main/cli', script), ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run generate', () => {
  it('writes a PNG carrying its parameters, and batch files in line order with results.jsonl', () => {
    const out = path.join(dir, 'one.png');
    const single = cli('generate.ts', ['--prompt', 'A red circle!', '--seed', '5', '--candidates', '2', '--model', TINY_PACKAGE, '--provider', 'cpu', '--out', out]);
    expect(single.code).toBe(0);
    expect(readPngMetadata(readFileSync(out))).toMatchObject({ prompt: 'A red circle!', seed: 5, modelId: 'tiny-test', settings: { candidates: 2 } });

    const prompts = path.join(dir, 'prompts.txt');
    writeFileSync(prompts, 'a red circle\n\na blue square\n');
    const batch = cli('generate.ts', ['--prompts', prompts, '--out-dir', path.join(dir, 'batch'), '--candidates', '1', '--model', TINY_PACKAGE, '--provider', 'cpu']);
    expect(batch.code).toBe(0);
    const results = readFileSync(path.join(dir, 'batch', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => [r.file, r.prompt])).toEqual([['0001.png', 'a red circle'], ['0002.png', 'a blue square']]);
    expect(readPngMetadata(readFileSync(path.join(dir, 'batch', '0002.png')))?.seed).toBe(results[1].seed);
  });

  it.each([
    ['an unknown flag', 2, ['--prompt', 'x', '--out', 'x.png', '--colour', 'red'], /^generate: Unknown option '--colour'/],
    ['a malformed number', 2, ['--prompt', 'x', '--out', 'x.png', '--cfg', 'lots'], /^generate: --cfg must be a number, got "lots"$/],
    ['a missing package', 3, ['--prompt', 'x', '--out', 'x.png', '--model', 'no-such-model'], /^generate: No model package "no-such-model"/],
    ['an out-of-range setting', 4, ['--prompt', 'x', '--out', 'x.png', '--model', TINY_PACKAGE, '--provider', 'cpu', '--top-p', '2'], /^generate: Invalid setting topP/],
  ])('reports %s in one line with exit code %i', (_, code, args, message) => {
    const run = cli('generate.ts', args as string[]);
    expect(run.code).toBe(code);
    const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message as RegExp);
    expect(existsSync(path.join(REPO, 'x.png'))).toBe(false);
  });
});

describe('npm run edit', () => {
  it('refuses an unreadable image with exit code 4', () => {
    const run = cli('edit.ts', ['--image', path.join(dir, 'none.png'), '--mask', path.join(dir, 'none.png'), '--prompt', 'x', '--out', path.join(dir, 'e.png'), '--model', TINY_PACKAGE, '--provider', 'cpu']);
    expect(run.code).toBe(4);
    expect(run.stderr.trim()).toMatch(/^edit: Cannot read .*none\.png as an image/);
  });
});
