import { cp, mkdtemp, readFile, rm, truncate, unlink, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError, type EngineErrorCode } from '../../../main/engine/errors.js';
import { openPackage } from '../../../main/engine/models/shapes/package.js';
import { discoverModels as discoverPackages, findModelDir as findPackageDir } from '../../../main/engine/models/index.js';
import { TINY_PACKAGE } from './fixtures.js';

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parti-package-'));
  temps.push(dir);
  return dir;
}

/** A copy of the tiny package, changed by `mutate`. */
async function brokenCopy(mutate: (dir: string, manifest: Record<string, any>) => Promise<void> | void): Promise<string> {
  const dir = path.join(await tempDir(), 'pkg');
  await cp(TINY_PACKAGE, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  await mutate(dir, manifest);
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

async function openError(dir: string): Promise<EngineError> {
  const error = await openPackage(dir, { provider: 'cpu' }).then(
    (model) => model.release().then(() => undefined),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

async function expectOpenError(dir: string, code: EngineErrorCode, message: RegExp): Promise<void> {
  const error = await openError(dir);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain('\n');
}

describe('openPackage validation', () => {
  it('opens the tiny package and creates one session per graph', async () => {
    const model = await openPackage(TINY_PACKAGE, { provider: 'cpu' });
    expect(model.info.id).toBe('tiny-test');
    expect(Object.keys(model.sessions).sort()).toEqual(['decoder', 'detokenizer', 'imageEncoder', 'rerankerImage', 'rerankerText', 'textEncoder']);
    expect(model.providers.sessions.every((s) => s.provider === 'cpu')).toBe(true);
    await model.release();
  });

  it('rejects a folder without manifest.json', async () => {
    await expectOpenError(await tempDir(), 'PACKAGE_NOT_FOUND', /manifest\.json is missing/);
  });

  it('rejects a manifest that is not JSON', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'manifest.json'), '{ "format": ');
    await expectOpenError(dir, 'PACKAGE_INVALID', /not valid JSON/);
  });

  it('rejects another format', async () => {
    await expectOpenError(await brokenCopy((_, m) => void (m.format = 'onnx-zoo')), 'PACKAGE_INVALID', /not a model package.*onnx-zoo/);
  });

  it('rejects an unknown format version', async () => {
    await expectOpenError(await brokenCopy((_, m) => void (m.formatVersion = 1)), 'PACKAGE_VERSION', /version 1; this engine reads version 2/);
  });

  it('rejects a manifest failing the schema, naming the field', async () => {
    await expectOpenError(await brokenCopy((_, m) => void (m.id = 'Tiny Test')), 'PACKAGE_INVALID', /id: id must match/);
    await expectOpenError(await brokenCopy((_, m) => void delete m.decoder.startTokenId), 'PACKAGE_INVALID', /decoder\.startTokenId/);
  });

  it('rejects word groups naming words the tokenizer does not know', async () => {
    const withUnknown = await brokenCopy((_, m) => void (m.text.wordGroups = { shapes: ['circle', 'hexagon'] }));
    await expectOpenError(withUnknown, 'PACKAGE_INVALID', /text\.wordGroups\.shapes names "hexagon", which tokenizer\.json does not know/);
  });

  it('rejects a missing file', async () => {
    await expectOpenError(await brokenCopy((dir) => unlink(path.join(dir, 'decoder.onnx'))), 'FILE_MISSING', /decoder\.onnx is missing/);
  });

  it('rejects a truncated file', async () => {
    await expectOpenError(await brokenCopy((dir) => truncate(path.join(dir, 'detokenizer.onnx'), 1000)), 'FILE_TRUNCATED', /detokenizer\.onnx is 1000 bytes but the manifest says 16284/);
  });

  it('rejects a file with another sha256', async () => {
    const dir = await brokenCopy(async (d) => {
      const file = path.join(d, 'tokenizer.json');
      const bytes = await readFile(file);
      bytes[10] = bytes[10]! ^ 1;
      await writeFile(file, bytes);
    });
    await expectOpenError(dir, 'FILE_CORRUPT', /tokenizer\.json does not match its sha256/);
  });

  it('rejects a graph file the manifest does not list', async () => {
    await expectOpenError(await brokenCopy((_, m) => void delete m.files['reranker_text.onnx']), 'PACKAGE_INVALID', /does not list reranker_text\.onnx/);
  });

  it('rejects a graph whose inputs differ from the manifest', async () => {
    const dir = await brokenCopy((_, m) => void (m.graphs.decoder.inputs[0].name = 'token_ids'));
    await expectOpenError(dir, 'GRAPH_MISMATCH', /decoder\.onnx \(decoder\) has inputs .*input_ids.*declares .*token_ids/);
  });

  it('rejects a graph swapped for another (listed with its own checksum)', async () => {
    const dir = await brokenCopy(async (d, m) => {
      await cp(path.join(d, 'reranker_image.onnx'), path.join(d, 'detokenizer.onnx'));
      m.files['detokenizer.onnx'] = m.files['reranker_image.onnx'];
    });
    await expectOpenError(dir, 'GRAPH_MISMATCH', /detokenizer/);
  });
});

describe('discovery', () => {
  it('lists embedded then user packages, flags invalid ones and skips duplicate ids', async () => {
    const embedded = await tempDir();
    const user = await tempDir();
    await cp(TINY_PACKAGE, path.join(embedded, 'tiny'), { recursive: true });
    await mkdir(path.join(embedded, 'training')); // not a package: ignored
    await cp(TINY_PACKAGE, path.join(user, 'copy'), { recursive: true }); // same id: skipped
    await mkdir(path.join(user, 'future'));
    await writeFile(path.join(user, 'future', 'manifest.json'), JSON.stringify({ format: 'parti-package', formatVersion: 9 }));
    const warnings: string[] = [];
    const found = await discoverPackages({ embeddedModelsDir: embedded, userModelsDir: user, onWarning: (w) => warnings.push(w) });
    expect(found.map((p) => [p.id, p.source, p.error === undefined])).toEqual([
      ['tiny-test', 'embedded', true],
      ['future', 'user', false],
    ]);
    expect(found[1]!.error).toMatch(/version 9/);
    expect(warnings).toEqual([expect.stringMatching(/id "tiny-test" was found first/)]);
  });

  it('finds a package by id and names the available ones when it is absent', async () => {
    const embedded = await tempDir();
    await cp(TINY_PACKAGE, path.join(embedded, 'tiny'), { recursive: true });
    expect(await findPackageDir({ embeddedModelsDir: embedded, modelId: 'tiny-test' })).toBe(path.join(embedded, 'tiny'));
    expect(await findPackageDir({ embeddedModelsDir: embedded })).toBe(path.join(embedded, 'tiny'));
    await expect(findPackageDir({ embeddedModelsDir: embedded, modelId: 'shapes-v9' })).rejects.toThrow(`No model "shapes-v9" in ${embedded} (available: tiny-test).`);
  });
});

describe('a hostile or inconsistent manifest', () => {
  it.each([
    ['../../etc/passwd', 'a path up and out'],
    ['/etc/passwd', 'an absolute path'],
    ['sub/../../outside.onnx', 'a path that climbs out midway'],
  ])('refuses the file %s (%s) without reading it, naming the field', async (file) => {
    const dir = await brokenCopy((_, m) => {
      m.files[file] = { bytes: 1, sha256: '0'.repeat(64) };
    });
    const error = await openError(dir);
    expect(error.code).toBe('PACKAGE_INVALID');
    expect(error.message).toContain(`files.${file}: must be a path inside the package folder`);
    expect(error.message).not.toMatch(/bytes but the manifest says/); // its size was never read
  });

  it('refuses a graph file outside the package', async () => {
    const dir = await brokenCopy((_, m) => void (m.graphs.decoder.file = '../decoder.onnx'));
    await expectOpenError(dir, 'PACKAGE_INVALID', /graphs\.decoder\.file: must be a path inside the package folder/);
  });

  it('range-checks the defaults against the domain limits', async () => {
    await expectOpenError(await brokenCopy((_, m) => void (m.defaults.temperature = -1)), 'PACKAGE_INVALID', /defaults\.temperature/);
    await expectOpenError(await brokenCopy((_, m) => void (m.defaults.candidates = 1000)), 'PACKAGE_INVALID', /defaults\.candidates/);
  });

  it('refuses a grid of 100,000 that its graphs do not have, in one line', async () => {
    const dir = await brokenCopy((_, m) => void (m.image.grid = 100_000));
    await expectOpenError(dir, 'PACKAGE_INVALID', /image\.grid: 100000 × 100000 image tokens, but the detokenizer takes 64 tokens/);
  });

  it('refuses a manifest whose declared grid shapes were changed to match, since the graph itself differs', async () => {
    const dir = await brokenCopy((_, m) => {
      m.image.grid = 100_000;
      m.graphs.detokenizer.inputs[0].shape = ['B', 100_000 * 100_000];
    });
    await expectOpenError(dir, 'GRAPH_MISMATCH', /detokenizer/);
  });
});
