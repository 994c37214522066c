/**
 * The decoder-only family on the tiny Janus replica: logits parity with transformers.js
 * (every step of a whole image, with and without guidance) and with the PyTorch reference,
 * the published layout opened as it is, seeded determinism, ordering without a reranker,
 * precision choice, and editing (own tokens; outside images need the encoder).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, encodePng, isEngineError, metadataOf, readPngTokens } from '../../../main/engine/index.js';
import { applyGuidance } from '../../../main/engine/logits/index.js';
import { openJanusModel, type UnconditionalRow } from '../../../main/engine/models/janus/index.js';
import { readJanusConfig } from '../../../main/engine/models/janus/folder.js';
import { chooseGraphFile } from '../../../main/engine/models/janus/precision.js';
import { defaultThreads } from '../../../main/engine/providers.js';
import { discoverModels, type LoadedModel, type StepLogits } from '../../../main/engine/models/index.js';
import { forcedImage, JANUS_TINY, maxAbsDifference, openPeer, peerForcedLogits, reference, type PeerModel } from './janus-peer.js';


const TOKENS = 576;
const work = mkdtempSync(path.join(tmpdir(), 'parti-janus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The engine's guided logits at every step while feeding `forced` (its own state and guidance). */
async function engineForcedLogits(model: LoadedModel, forced: readonly number[], guidance: number): Promise<Float32Array[]> {
  const guided = guidance !== 1;
  const state = await model.startDecoding({ prompt: model.prepare(reference.prompt), negativePrompt: model.prepare(''), candidates: 1, guided, useCache: true });
  const rows = state.rows;
  const steps: Float32Array[] = [];
  const keep = (logits: StepLogits) => {
    const batch = { data: logits.data, rows, vocab: logits.vocab };
    steps.push(Float32Array.from((guided ? applyGuidance(batch, guidance) : batch).data));
  };
  keep(await state.begin([], 0));
  for (let t = 0; t + 1 < forced.length; t++) keep(await state.step(new Array(rows).fill(forced[t]!), 1));
  return steps;
}

describe('Janus family: parity', () => {
  const models = new Map<UnconditionalRow, LoadedModel>();
  let peer: PeerModel;
  beforeAll(async () => {
    for (const row of ['deepseek', 'transformers.js'] as const) models.set(row, await openJanusModel(JANUS_TINY, { provider: 'cpu', precision: 'fp32' }, row));
    peer = await openPeer(JANUS_TINY);
  });
  afterAll(async () => { for (const model of models.values()) await model.release(); });

  it.each([1, reference.guidance])('equals transformers.js within 1e-4 at every one of the 576 steps (guidance %s)', async (guidance) => {
    const forced = forcedImage();
    const { steps: expected } = await peerForcedLogits(peer, reference.prompt, forced, guidance);
    const actual = await engineForcedLogits(models.get('transformers.js')!, forced, guidance);
    expect(actual).toHaveLength(TOKENS);
    let worst = 0;
    for (let step = 0; step < TOKENS; step++) worst = Math.max(worst, maxAbsDifference(actual[step]!, expected[step]!));
    expect(worst).toBeLessThanOrEqual(1e-4);
  }, 120_000);

  it.each([['none', 'deepseek', 1], ['deepseek', 'deepseek', reference.guidance], ['transformers.js', 'transformers.js', reference.guidance]] as const)(
    'equals the PyTorch reference (%s unconditional row)', async (rows, style, guidance) => {
      const actual = await engineForcedLogits(models.get(style)!, reference.forcedTokens, guidance);
      reference.logits[rows].forEach((expected, step) => expect(maxAbsDifference(actual[step]!, expected)).toBeLessThanOrEqual(1e-4));
    });

  it("decodes the same tokens to the same pixels as transformers.js's generate_images", async () => {
    const forced = forcedImage();
    const { pixels } = await peerForcedLogits(peer, reference.prompt, forced, 1);
    const [image] = await models.get('deepseek')!.detokenize([Int32Array.from(forced)]);
    const rgb = image!.data.filter((_, i) => i % 4 !== 3);
    expect(maxAbsDifference(rgb, pixels)).toBeLessThanOrEqual(1);
  });
});

describe('Janus family through the engine', () => {
  let engine: Engine;
  beforeAll(async () => { engine = await Engine.open({ packageDir: JANUS_TINY, provider: 'cpu', precision: 'fp32' }); });
  afterAll(() => engine.close());

  it('opens the published layout as it is: model info, defaults from generation_config.json, 576 tokens at 384 px', () => {
    expect(engine.package).toMatchObject({ id: 'janus-tiny', family: 'janus', grid: 24, resolution: 384, precision: 'fp32', scoreKind: 'mean-log-probability' });
    expect(engine.package.defaults).toEqual({ guidance: 5, temperature: 1, topK: 0, topP: 1, candidates: 1 });
  });

  it('gives the same pixels for the same prompt, seed and settings on CPU, and other pixels for another seed', async () => {
    const run = (seed: number) => engine.generate({ prompt: 'a red fox', seed, settings: { candidates: 2 } });
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(a.candidates.map((x) => Array.from(x.tokens))).toEqual(b.candidates.map((x) => Array.from(x.tokens)));
    expect(Buffer.from(a.candidates[0]!.image.data).equals(Buffer.from(b.candidates[0]!.image.data))).toBe(true);
    expect(Buffer.from(a.candidates[0]!.image.data).equals(Buffer.from(c.candidates[0]!.image.data))).toBe(false);
    expect(a.candidates[0]!.image.width).toBe(384);
  }, 60_000);

  it('orders candidates by mean log-probability of their sampled tokens and says so', async () => {
    const result = await engine.generate({ prompt: 'a blue bird', seed: 1, settings: { candidates: 3 } });
    expect(result.scoreKind).toBe('mean-log-probability');
    const scores = result.candidates.map((c) => c.score);
    expect(scores.every((s) => Number.isFinite(s) && s < 0)).toBe(true);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(new Set(scores).size).toBe(3);
  }, 60_000);

  it('streams previews at least every eighth of the tokens', async () => {
    const seen: number[] = [];
    await engine.generate({ prompt: 'a fox', seed: 2 }, { onProgress: (e) => { if (e.previews) seen.push(e.tokensDone); } });
    expect(seen).toEqual([72, 144, 216, 288, 360, 432, 504, 576]);
  }, 60_000);

  it('edits its own image by forcing the stored tokens outside the mask, with no image encoder', async () => {
    const made = await engine.generate({ prompt: 'a red fox', seed: 5 });
    const png = encodePng(made.candidates[0]!.image, metadataOf(made, 0), made.candidates[0]!.tokens);
    expect(readPngTokens(png)).toEqual({ modelId: 'janus-tiny', tokens: made.candidates[0]!.tokens });
    const mask = { width: 384, height: 384, data: new Uint8ClampedArray(384 * 384 * 4) };
    for (let y = 0; y < 64; y++) for (let x = 0; x < 384; x++) mask.data.fill(255, (y * 384 + x) * 4, (y * 384 + x) * 4 + 4);
    const edited = await engine.edit({ image: png, mask, prompt: 'a red fox', seed: 9 });
    const tokens = edited.candidates[0]!.tokens;
    expect(edited.maskedCells.filter(Boolean)).toHaveLength(4 * 24);
    expect(Array.from(tokens.subarray(96))).toEqual(Array.from(made.candidates[0]!.tokens.subarray(96)));
  }, 60_000);

  it('says plainly that an outside image needs image_encoder.onnx, and how to make it', async () => {
    const image = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(200) };
    const error = await engine.edit({ image, mask: image, prompt: 'a fox' }).catch((e: unknown) => e);
    expect(isEngineError(error, 'NO_IMAGE_ENCODER')).toBe(true);
    expect((error as Error).message).toMatch(/needs the Janus VQ image encoder, which the ONNX export does not ship: write .*image_encoder\.onnx with "\/usr\/bin\/python3 native-models\/janus\/export_image_encoder\.py --weights/);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('export_image_encoder.py on the replica\'s own VQ', () => {
  const python = (script: string, args: string[]) =>
    execFileSync('/usr/bin/python3', [path.join('native-models', 'janus', script), ...args], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });

  it('writes onnx/image_encoder.onnx whose ids equal PyTorch\'s, and the engine then edits outside images', async () => {
    const replica = path.join(work, 'replica');
    const weights = path.join(work, 'weights');
    python('make_replica.py', ['--out', replica, '--no-q4', '--torch-weights', weights]);
    const ids = path.join(work, 'encoder-ids.json');
    python('export_image_encoder.py', ['--weights', weights, '--out', replica, '--reference', ids]);
    const expected = (JSON.parse(readFileSync(ids, 'utf8')) as { ids: number[] }).ids;

    const model = await openJanusModel(replica, { provider: 'cpu', precision: 'fp32' });
    const size = 384;
    const picture = { width: size, height: size, data: new Uint8ClampedArray(size * size * 4) };
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) picture.data.set([x % 256, y % 256, (x * y) % 256, 255], (y * size + x) * 4);
    }
    const [tokens] = await model.encodeImages([picture]);
    await model.release();
    const same = expected.filter((id, i) => tokens![i] === id).length;
    expect(expected).toHaveLength(576);
    expect(same).toBeGreaterThanOrEqual(570); // float32 distance ties may flip a few argmins

    const engine = await Engine.open({ packageDir: replica, provider: 'cpu', precision: 'fp32' });
    const mask = { width: size, height: size, data: new Uint8ClampedArray(size * size * 4) };
    mask.data.fill(255, 0, size * 32 * 4);
    const edited = await engine.edit({ image: picture, mask, prompt: 'a fox', seed: 1 });
    await engine.close();
    expect(Array.from(edited.candidates[0]!.tokens.subarray(48))).toEqual(Array.from(tokens!.subarray(48)));
  }, 240_000);
});

describe('Janus folders in discovery', () => {
  it('lists a Hugging Face Janus folder beside packages, recognised from its config.json', async () => {
    const models = await discoverModels({ embeddedModelsDir: path.join(work, 'none'), userModelsDir: path.dirname(JANUS_TINY) });
    expect(models).toEqual([expect.objectContaining({ id: 'janus-tiny', family: 'janus', source: 'user', grid: 24, resolution: 384 })]);
  });

  it('refuses a Hugging Face folder of another model type in one line', async () => {
    const dir = path.join(work, 'llama');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    await expect(Engine.open({ packageDir: dir, provider: 'cpu' })).rejects.toThrow(
      `${dir} holds a Hugging Face model of type "llama"; this engine runs "multi_modality" (Janus-Pro) folders and its own packages (manifest.json).`,
    );
  });
});

describe('Janus precision choice', () => {
  const onnx = path.join(JANUS_TINY, 'onnx');
  it('takes q4 for the language model and fp32 for the small graphs on CPU, float16 first on a GPU, the asked-for file where it exists', () => {
    expect(chooseGraphFile(onnx, 'language_model', 'cpu').precision).toBe('q4');
    expect(chooseGraphFile(onnx, 'gen_head', 'cpu').precision).toBe('fp32');
    expect(chooseGraphFile(onnx, 'language_model', 'cpu', 'fp32').precision).toBe('fp32');
    expect(chooseGraphFile(onnx, 'language_model', 'webgpu').precision).toBe('q4'); // no float16 file in the replica
  });

  it('refuses in one line, naming what is there, when no file fits the provider', async () => {
    const dir = path.join(work, 'only-fp16');
    cpSync(JANUS_TINY, dir, { recursive: true });
    for (const file of readdirSync(path.join(dir, 'onnx'))) {
      if (file.startsWith('language_model')) rmSync(path.join(dir, 'onnx', file));
    }
    cpSync(path.join(onnx, 'language_model.onnx'), path.join(dir, 'onnx', 'language_model_fp16.onnx'));
    const error = await Engine.open({ packageDir: dir, provider: 'cpu' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${path.join(dir, 'onnx')} has no language_model graph the cpu provider can run: found only language_model_fp16.onnx (float16 graphs need a GPU provider).`);
  });

  it('sizes threads by the weights in fp32, so a 4-bit file of a wide model gets all cores', async () => {
    const dir = path.join(work, 'wide-config');
    cpSync(JANUS_TINY, dir, { recursive: true });
    const configFile = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    Object.assign(config.language_config, { hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 2 });
    writeFileSync(configFile, JSON.stringify(config));
    const wide = await readJanusConfig(dir);
    expect(wide.decoderFp32Bytes).toBe(2 * (4 * 2048 ** 2 + 3 * 2048 * 5632) * 4); // 410 MB, though its q4 file would be ~30 MB
    expect(defaultThreads(wide.decoderFp32Bytes)).toBeUndefined();
    expect(defaultThreads((await readJanusConfig(JANUS_TINY)).decoderFp32Bytes)).toBe(1);
  });

  it('names a missing config file', async () => {
    const dir = path.join(work, 'no-processor');
    cpSync(JANUS_TINY, dir, { recursive: true });
    renameSync(path.join(dir, 'processor_config.json'), path.join(dir, 'processor_config.json.bak'));
    await expect(Engine.open({ packageDir: dir, provider: 'cpu' })).rejects.toThrow(`Janus model folder ${dir} is incomplete: processor_config.json is missing.`);
  });
});
