/** The command line's contract with scripts: outputs, exit codes, one-line errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPngMetadata, readPngTokens } from '../../../main/engine/png.js';
import { hugeCanvas, smallPng } from './bad-images.js';
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
    const single = cli('generate.ts', ['--prompt', 'A red circle!', '--negative-prompt', 'a blue square', '--seed', '5', '--candidates', '2', '--model', TINY_PACKAGE, '--provider', 'cpu', '--out', out]);
    expect(single.code).toBe(0);
    expect(readPngMetadata(readFileSync(out))).toMatchObject({ prompt: 'A red circle!', negativePrompt: 'a blue square', seed: 5, modelId: 'tiny-test', settings: { candidates: 2 } });

    const prompts = path.join(dir, 'prompts.txt');
    writeFileSync(prompts, 'a red circle\n\na blue square\n');
    const batch = cli('generate.ts', ['--prompts', prompts, '--out-dir', path.join(dir, 'batch'), '--candidates', '1', '--model', TINY_PACKAGE, '--provider', 'cpu']);
    expect(batch.code).toBe(0);
    const results = readFileSync(path.join(dir, 'batch', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => [r.file, r.prompt])).toEqual([['0001.png', 'a red circle'], ['0002.png', 'a blue square']]);
    expect(readPngMetadata(readFileSync(path.join(dir, 'batch', '0002.png')))?.seed).toBe(results[1].seed);
  });

  it('runs a Janus folder given by --model DIR, writing its parameters and token grid into the PNG', () => {
    const out = path.join(dir, 'janus.png');
    const run = cli('generate.ts', ['--prompt', 'a red fox', '--seed', '3', '--model', path.join(FIXTURES, 'hf', 'janus-tiny'), '--provider', 'cpu', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/mean-log-probability score -\d/);
    const png = readFileSync(out);
    expect(readPngMetadata(png)).toMatchObject({ prompt: 'a red fox', seed: 3, modelId: 'janus-tiny', settings: { guidance: 5, candidates: 1 } });
    expect(readPngTokens(png)?.tokens).toHaveLength(576);
  });

  it.each([
    ['an unknown flag', 2, ['--prompt', 'x', '--out', 'x.png', '--colour', 'red'], /^generate: Unknown option '--colour'/],
    ['a malformed number', 2, ['--prompt', 'x', '--out', 'x.png', '--cfg', 'lots'], /^generate: --cfg must be a number, got "lots"$/],
    ['a missing package', 3, ['--prompt', 'x', '--out', 'x.png', '--model', 'no-such-model'], /^generate: No model "no-such-model"/],
    ['an out-of-range setting', 4, ['--prompt', 'x', '--out', 'x.png', '--model', TINY_PACKAGE, '--provider', 'cpu', '--top-p', '2'], /^generate: --top-p 2 is out of range; allowed: a number above 0 and at most 1$/],
    ['a negative candidate count', 4, ['--prompt', 'x', '--out', 'x.png', '--model', TINY_PACKAGE, '--provider', 'cpu', '--candidates', '-3'], /^generate: --candidates -3 is out of range; allowed: an integer from 1 to \d+$/],
    ['a negative temperature', 4, ['--prompt', 'x', '--out', 'x.png', '--model', TINY_PACKAGE, '--provider', 'cpu', '--temperature', '-1'], /^generate: --temperature -1 is out of range; allowed: a number above 0 and at most 10$/],
    ['a negative seed', 4, ['--prompt', 'x', '--out', 'x.png', '--model', TINY_PACKAGE, '--provider', 'cpu', '--seed', '-1'], /^generate: Seed must be an integer from 0 to 4294967295, got -1$/],
    ['an --out under a regular file', 6, ['--prompt', 'x', '--out', path.join(path.join(dir, 'a-file'), 'x.png'), '--model', TINY_PACKAGE, '--provider', 'cpu'], /^generate: cannot write .*a-file\/x\.png: .*a-file is a file, not a folder$/],
  ])('reports %s in one line with exit code %i', (_, code, args, message) => {
    writeFileSync(path.join(dir, 'a-file'), 'not a folder');
    const run = cli('generate.ts', args as string[]);
    expect(run.code).toBe(code);
    const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message as RegExp);
    expect(existsSync(path.join(REPO, 'x.png'))).toBe(false);
  });
});

describe('npm run generate -- --variation-of', () => {
  const source = path.join(dir, 'variation-source.png');
  const tiny = ['--model', TINY_PACKAGE, '--provider', 'cpu'];
  const makeSource = () => cli('generate.ts', ['--prompt', 'a red circle at the top left', '--seed', '3', ...tiny, '--out', source]);

  it('keeps the source at strength 0, and at 0.5 the top rows’ tokens, with the source’s prompt unless --prompt gives one', () => {
    expect(makeSource().code).toBe(0);
    const sourceTokens = readPngTokens(readFileSync(source))!.tokens;
    const same = path.join(dir, 'same.png');
    expect(cli('generate.ts', ['--variation-of', source, '--strength', '0', '--seed', '9', ...tiny, '--out', same]).code).toBe(0);
    expect(readPngTokens(readFileSync(same))!.tokens).toEqual(sourceTokens);
    expect(readPngMetadata(readFileSync(same))).toMatchObject({ kind: 'variation', prompt: 'a red circle at the top left', sourceId: 'variation-source.png', variation: { strength: 0, keep: 'rows' } });

    const half = path.join(dir, 'half.png');
    const run = cli('generate.ts', ['--variation-of', source, '--strength', '0.5', '--keep', 'rows', '--prompt', 'a blue square', '--seed', '9', ...tiny, '--out', half]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/half\.png: 32 of 64 cells kept \(strength 0\.5, keep rows\), seed 9, /);
    const tokens = readPngTokens(readFileSync(half))!.tokens;
    expect(Array.from(tokens.subarray(0, 32))).toEqual(Array.from(sourceTokens.subarray(0, 32)));
    expect(readPngMetadata(readFileSync(half))).toMatchObject({ prompt: 'a blue square', variation: { strength: 0.5, keep: 'rows' } });
  });

  it.each([
    ['a strength above 1', 2, ['--strength', '1.5'], /^generate: --strength 1\.5 is out of range; allowed: a number from 0 to 1$/],
    ['a strength below 0', 2, ['--strength', '-0.2'], /^generate: --strength -0\.2 is out of range; allowed: a number from 0 to 1$/],
    ['a strength that is not a number', 2, ['--strength', 'half'], /^generate: --strength must be a number, got "half"$/],
    ['no strength', 2, [], /^generate: --strength F \(from 0 to 1\) is required with --variation-of/],
    ['an unknown keep mode', 2, ['--strength', '0.5', '--keep', 'columns'], /^generate: --keep must be one of rows, cells, got "columns"$/],
    ['--prompts with it', 2, ['--strength', '0.5', '--prompts', 'p.txt'], /^generate: --variation-of makes variations of one image: give --prompt, not --prompts/],
    ['a source that is not an image', 4, ['--strength', '0.5', '--prompt', 'x', '--variation-of', 'NOT_AN_IMAGE'], /^generate: Cannot read .*not-an-image\.png as an image \(/],
    ['a source with no prompt of this app and no --prompt', 4, ['--strength', '0.5', '--variation-of', 'NOT_AN_IMAGE'], /^generate: .*not-an-image\.png carries no prompt of this app: give --prompt TEXT/],
    ['a missing source', 4, ['--strength', '0.5', '--variation-of', path.join(dir, 'gone.png')], /^generate: cannot read .*gone\.png: no such file, or it cannot be read$/],
  ])('reports %s in one line with exit code %i, writing nothing', (_, code, args, message) => {
    const notImage = path.join(dir, 'not-an-image.png');
    writeFileSync(notImage, 'not a picture');
    const out = path.join(dir, 'refused.png');
    const given = (args as string[]).map((arg) => (arg === 'NOT_AN_IMAGE' ? notImage : arg));
    const run = cli('generate.ts', [...(given.includes('--variation-of') ? [] : ['--variation-of', source]), ...given, ...tiny, '--out', out]);
    expect(run.code).toBe(code);
    const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message as RegExp);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --strength or --keep without --variation-of', () => {
    const run = cli('generate.ts', ['--prompt', 'x', '--strength', '0.5', '--out', path.join(dir, 'x.png')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^generate: --strength and --keep go with --variation-of IN\.png/);
  });
});

describe('npm run edit', () => {
  it.each([
    ['a negative candidate count', 4, ['--candidates', '-3'], /^edit: --candidates -3 is out of range; allowed: an integer from 1 to \d+$/],
    ['an --out under a regular file', 6, ['--out', path.join(dir, 'a-file', 'e.png')], /^edit: cannot write .*a-file\/e\.png: .*a-file is a file, not a folder$/],
  ])('reports %s in one line with exit code %i', async (_, code, args, message) => {
    writeFileSync(path.join(dir, 'a-file'), 'not a folder');
    const image = path.join(dir, 'small.png');
    writeFileSync(image, await smallPng());
    const run = cli('edit.ts', ['--image', image, '--mask', image, '--prompt', 'x', '--out', path.join(dir, 'e.png'), '--model', TINY_PACKAGE, '--provider', 'cpu', ...(args as string[])]);
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message as RegExp)]);
  });

  it('refuses an unreadable image with exit code 4', () => {
    const run = cli('edit.ts', ['--image', path.join(dir, 'none.png'), '--mask', path.join(dir, 'none.png'), '--prompt', 'x', '--out', path.join(dir, 'e.png'), '--model', TINY_PACKAGE, '--provider', 'cpu']);
    expect(run.code).toBe(4);
    expect(run.stderr.trim()).toMatch(/^edit: Cannot read .*none\.png as an image/);
  });

  it('refuses a truncated PNG and a 16000² PNG with exit code 4, writing nothing', async () => {
    const whole = await smallPng();
    const cut = path.join(dir, 'cut.png');
    const huge = path.join(dir, 'huge.png');
    writeFileSync(cut, whole.subarray(0, whole.length - 12));
    writeFileSync(huge, await hugeCanvas(16000, 'png'));
    const out = path.join(dir, 'never.png');
    for (const [image, message] of [[cut, /^edit: Cannot read .*cut\.png as an image \(the PNG file is truncated: it has no IEND chunk\)\.$/], [huge, /^edit: Cannot read .*huge\.png: it is 16000 × 16000 pixels; the most this app reads is 8192 × 8192/]] as const) {
      const run = cli('edit.ts', ['--image', image, '--mask', image, '--prompt', 'x', '--out', out, '--model', TINY_PACKAGE, '--provider', 'cpu']);
      expect(run.code).toBe(4);
      expect(run.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'))).toEqual([expect.stringMatching(message)]);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe('npm run edit -- --extend', () => {
  it('grows a generated PNG by --by cells on the --extend side, writing the larger canvas with its tokens and parameters', () => {
    const source = path.join(dir, 'to-extend.png');
    expect(cli('generate.ts', ['--prompt', 'a red circle', '--seed', '2', '--model', TINY_PACKAGE, '--provider', 'cpu', '--out', source]).code).toBe(0);
    const out = path.join(dir, 'extended.png');
    const run = cli('edit.ts', ['--image', source, '--extend', 'left', '--by', '3', '--prompt', 'a blue square at the left', '--seed', '4', '--model', TINY_PACKAGE, '--provider', 'cpu', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/extended\.png: seed 4, extended left by 3: 11 × 8 cells, 88 × 64 px/);
    const png = readFileSync(out);
    expect(readPngMetadata(png)).toMatchObject({ kind: 'extend', sourceId: 'to-extend.png', extension: { side: 'left', by: 3, columns: 11, rows: 8 } });
    expect(readPngTokens(png)?.tokens).toHaveLength(88);
  });

  it.each([
    ['an unknown side', 2, ['--extend', 'up', '--by', '2'], /^edit: --extend must be one of top, bottom, left, right, got "up"$/],
    ['a missing amount', 2, ['--extend', 'right'], /^edit: --by is required \(usage: npm run edit -- --image IN \(--mask MASK \| --extend top\|bottom\|left\|right --by N\)/],
    ['a fractional amount', 2, ['--extend', 'right', '--by', '1.5'], /^edit: --by must be an integer, got "1.5"$/],
    ['an amount past the grid', 4, ['--extend', 'bottom', '--by', '9'], /^edit: Cannot extend by 9: the amount is a whole number of token rows from 1 to 8 \(the model's grid\)\.$/],
    ['a zero amount', 4, ['--extend', 'top', '--by', '0'], /^edit: Cannot extend by 0: the amount is a whole number of token rows from 1 to 8/],
    ['a mask as well', 2, ['--extend', 'top', '--by', '2', '--mask', 'm.png'], /^edit: --mask and --extend are two different edits: give one/],
  ])('reports %s in one line with exit code %i', async (_, code, args, message) => {
    const image = path.join(dir, 'small.png');
    writeFileSync(image, await smallPng());
    const out = path.join(dir, 'never-extended.png');
    const run = cli('edit.ts', ['--image', image, '--prompt', 'x', '--out', out, '--model', TINY_PACKAGE, '--provider', 'cpu', ...(args as string[])]);
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'))).toEqual([expect.stringMatching(message as RegExp)]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('npm run eval', () => {
  it('judges engine images per category and compares them with a reference, prompt by prompt', () => {
    const args = ['--per-category', '2', '--candidates', '1', '--model', TINY_PACKAGE, '--provider', 'cpu', '--out-dir', path.join(dir, 'eval')];
    const first = cli('eval.ts', args);
    expect(first.code).toBe(0);
    const engine = JSON.parse(first.stdout).engine as Record<string, { prompts: number; satisfied: number }>;
    expect(Object.keys(engine).sort()).toEqual(['held_out', 'one_object', 'relation', 'two_positions']);
    // A reference whose every verdict is the opposite of the engine's is 100 points off: exit code 5.
    const verdicts = readFileSync(path.join(dir, 'eval', 'judged.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).satisfied as boolean);
    const opposite = Object.fromEntries(Object.keys(engine).map((category, c) => {
      const flipped = verdicts.slice(2 * c, 2 * c + 2).map((v) => !v);
      return [category, { prompts: 2, satisfied: flipped.filter(Boolean).length / 2, verdicts: flipped }];
    }));
    const reference = path.join(dir, 'reference.json');
    writeFileSync(reference, JSON.stringify({ default: opposite }));
    const second = cli('eval.ts', [...args, '--reference', reference]);
    expect(second.code).toBe(5);
    const report = JSON.parse(second.stdout).reference;
    expect(report.withinTolerance).toBe(false);
    for (const category of Object.keys(engine)) expect(report.categories[category]).toMatchObject({ samePromptVerdicts: 0, differencePoints: expect.any(Number) });
  }, 120_000);

  it('eval:extend judges, per side, the source and the window holding the new strip against captions that place an object there', () => {
    const out = path.join(dir, 'eval-extend');
    const run = cli('eval-extend.ts', ['--per-side', '1', '--candidates', '1', '--model', TINY_PACKAGE, '--provider', 'cpu', '--out-dir', out]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { by: number; sides: Record<string, { prompts: number; source: number; window: number }> };
    expect(report.by).toBe(5);
    expect(Object.keys(report.sides)).toEqual(['top', 'bottom', 'left', 'right']);
    for (const side of Object.values(report.sides)) expect(side).toMatchObject({ prompts: 1, source: expect.any(Number), window: expect.any(Number) });
    const judged = readFileSync(path.join(out, 'judged.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { png: string; caption: string });
    // The right side's window caption moves the source's object from the right column to the left one and adds one at the right.
    const [source, window] = judged.filter((v) => path.basename(v.png).startsWith('right-'));
    expect(source!.caption).toMatch(/^an? \w+ \w+ at the (top right|right|bottom right) on a \w+ background$/);
    expect(window!.caption).toMatch(/^an? \w+ \w+ at the (top left|left|bottom left) and an? \w+ \w+ at the (top right|right|bottom right) on a \w+ background$/);
    expect(readPngMetadata(readFileSync(path.join(out, 'right-0001-extended.png')))?.extension).toEqual({ side: 'right', by: 5, columns: 13, rows: 8 });
  }, 120_000);

  it('eval:variations judges each source and its variations (both keep modes) against the source’s prompt', () => {
    const out = path.join(dir, 'eval-variations');
    const run = cli('eval-variations.ts', ['--per-category', '1', '--candidates', '1', '--model', TINY_PACKAGE, '--provider', 'cpu', '--out-dir', out]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { strength: number; sources: { all: number }; variations: Record<string, { all: number; ofSatisfiedSources: number; perCategory: Record<string, number> }> };
    expect(report.strength).toBe(0.5);
    expect(Object.keys(report.variations)).toEqual(['rows', 'cells']);
    for (const mode of Object.values(report.variations)) expect(Object.keys(mode.perCategory).sort()).toEqual(['held_out', 'one_object', 'relation', 'two_positions']);
    const judged = readFileSync(path.join(out, 'judged.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { png: string; caption: string; satisfied: boolean });
    expect(judged).toHaveLength(4 * 3);
    const [source, rows, cells] = judged.slice(0, 3);
    expect(path.basename(source!.png)).toBe('one_object-0001-source.png');
    expect([rows!.caption, cells!.caption]).toEqual([source!.caption, source!.caption]);
    const rowsImage = readFileSync(rows!.png);
    expect(readPngMetadata(rowsImage)).toMatchObject({ kind: 'variation', variation: { strength: 0.5, keep: 'rows' }, sourceId: 'one_object-0001-source.png' });
    expect(Array.from(readPngTokens(rowsImage)!.tokens.subarray(0, 32))).toEqual(Array.from(readPngTokens(readFileSync(source!.png))!.tokens.subarray(0, 32)));
    const share = judged.filter((v) => path.basename(v.png).endsWith('-rows.png')).filter((v) => v.satisfied).length / 4;
    expect(report.variations.rows!.all).toBe(share);
  }, 120_000);
});
