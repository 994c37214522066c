/**
 * The model manager through the contract, against a mock Hugging Face Hub on 127.0.0.1
 * serving the tiny Janus replica: listing with sizes per precision, downloads with
 * progress, pause/resume across a restart, cancel, free space, a full disk, a corrupted
 * file, the Hub's refusals and being offline; added folders, removal, and a model that
 * fails to open never replacing the working one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { DownloadStatus, ModelsState } from '../../../main/common/contract';
import type { HubOptions } from '../../../main/studio/downloads';
import { startMockHub, type MockHub, type MockRepo } from '../../mock-hub';
import { FIXTURES, openInProcessStudio, type InProcessStudio } from '../in-process-studio';

const REPLICA = path.join(FIXTURES, 'hf', 'janus-tiny');
const REPO = 'tiny/janus-tiny';
const MODEL_CARD = '---\nlicense: mit\nlibrary_name: transformers.js\n---\n# Janus tiny replica\n';

let hub: MockHub | undefined;
let harness: InProcessStudio | undefined;
const temps: string[] = [];

afterEach(async () => {
  await harness?.close();
  await hub?.close();
  harness = undefined;
  hub = undefined;
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function open(repos: Record<string, MockRepo> = { [REPO]: { dir: REPLICA, modelCard: MODEL_CARD } }, options: { slow?: boolean; hub?: Partial<HubOptions> } = {}) {
  hub = await startMockHub(repos, options.slow ? { chunkBytes: 8 * 1024, chunkIntervalMs: 15 } : {});
  harness = await openInProcessStudio({ hub: { hubUrl: hub.url, ...options.hub } });
  return { api: harness.api, hub, harness };
}

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-models-'));
  temps.push(dir);
  return dir;
};

/** Polls the model list until `done` holds (downloads run in the background). */
async function until(predicate: (state: ModelsState) => boolean, what: string, timeoutMs = 20_000): Promise<ModelsState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await harness!.api.models.list();
    if (predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state.downloads)}`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

const downloaded = (state: ModelsState) => state.models.find((model) => model.origin.kind === 'hub');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const q4Files = () => [
  ...['config.json', 'generation_config.json', 'preprocessor_config.json', 'processor_config.json', 'tokenizer.json', 'tokenizer_config.json'],
  ...fs.readdirSync(path.join(REPLICA, 'onnx')).filter((f) => f.endsWith('_q4.onnx')).map((f) => `onnx/${f}`),
];
const q4Bytes = () => q4Files().reduce((sum, file) => sum + fs.statSync(path.join(REPLICA, file)).size, MODEL_CARD.length);

describe('downloads from the Hub', () => {
  test('the listing offers each precision with its download size, smallest first', async () => {
    const { api } = await open();
    const listing = await api.models.inspectRepo({ repo: REPO });
    expect(listing.precisions.map((p) => p.precision)).toEqual(['q4', 'fp32']);
    expect(listing.precisions[0]).toEqual({ precision: 'q4', files: q4Files().length + 1, bytes: q4Bytes() });
  });

  test('a download reports progress, lands verified in models/<owner>--<name> and can be used', async () => {
    const { api, harness } = await open(undefined, { slow: true });
    const progress: DownloadStatus[] = [];
    const unsubscribe = api.models.onDownloadProgress((status) => progress.push(status));
    await api.models.download({ repo: REPO, precision: 'q4' });
    const state = await until((s) => s.downloads.length === 0 && downloaded(s) !== undefined, 'the download to finish');
    unsubscribe();

    const bytes = progress.filter((p) => p.state === 'downloading').map((p) => p.bytesDone);
    expect(bytes.length).toBeGreaterThan(2);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(progress.every((p) => p.totalBytes === q4Bytes())).toBe(true);
    expect(progress.some((p) => p.bytesPerSecond !== null && p.bytesPerSecond > 0 && p.etaMs !== null)).toBe(true);

    const model = downloaded(state)!;
    const folder = path.join(harness.dataDir, 'models', 'tiny--janus-tiny');
    expect(model).toMatchObject({ dir: folder, family: 'janus', precisions: ['q4'], licence: 'mit', origin: { kind: 'hub', repo: REPO, revision: 'main', precision: 'q4' }, error: null });
    for (const file of q4Files()) expect(sha256(path.join(folder, file)), file).toBe(sha256(path.join(REPLICA, file)));
    expect(fs.existsSync(path.join(folder, 'onnx', 'language_model.onnx'))).toBe(false);
    expect(fs.existsSync(path.join(harness.dataDir, 'downloads', 'tiny--janus-tiny'))).toBe(false);

    const used = await api.models.use({ dir: folder });
    expect(used.models.find((m) => m.dir === folder)?.inUse).toBe(true);
    expect((await api.settings.get()).runtime.model?.id).toBe('tiny--janus-tiny');
  });

  test('pause keeps the partial files; after a restart resume fetches only the missing bytes', async () => {
    const { api, hub, harness } = await open(undefined, { slow: true });
    await api.models.download({ repo: REPO, precision: 'q4' });
    await until((s) => (s.downloads[0]?.bytesDone ?? 0) > 100_000, 'some bytes');
    const paused = await api.models.pause({ id: 'tiny--janus-tiny' });
    expect(paused.downloads[0]).toMatchObject({ state: 'paused', error: null });

    await harness.restart();
    const [afterRestart] = (await harness.api.models.list()).downloads;
    expect(afterRestart).toMatchObject({ id: 'tiny--janus-tiny', state: 'paused' });
    expect(afterRestart!.bytesDone).toBeGreaterThan(100_000);
    expect(afterRestart!.bytesDone).toBeLessThan(q4Bytes());
    const requestsBefore = hub.fileRequests.length;

    await harness.api.models.resume({ id: 'tiny--janus-tiny' });
    const state = await until((s) => s.downloads.length === 0 && downloaded(s) !== undefined, 'the resumed download');
    const resumed = hub.fileRequests.slice(requestsBefore).filter((r) => r.range !== null && r.range !== 'bytes=0-0');
    expect(resumed[0]?.range).toMatch(/^bytes=[1-9]\d*-\d+$/);
    for (const file of q4Files()) expect(sha256(path.join(downloaded(state)!.dir, file)), file).toBe(sha256(path.join(REPLICA, file)));
  });

  test('a download running when the studio closes is paused as interrupted at the next start', async () => {
    const { api, harness } = await open(undefined, { slow: true });
    await api.models.download({ repo: REPO, precision: 'q4' });
    await until((s) => (s.downloads[0]?.bytesDone ?? 0) > 20_000, 'some bytes');
    await harness.restart();
    const [download] = (await harness.api.models.list()).downloads;
    expect(download).toMatchObject({ state: 'paused', error: 'Interrupted when Parti Studio closed; resume to continue.' });
    expect(download!.bytesDone).toBeGreaterThan(20_000);
  });

  test('cancel stops the download and deletes what it fetched', async () => {
    const { api, harness } = await open(undefined, { slow: true });
    await api.models.download({ repo: REPO, precision: 'q4' });
    await until((s) => (s.downloads[0]?.bytesDone ?? 0) > 20_000, 'some bytes');
    const state = await api.models.cancel({ id: 'tiny--janus-tiny' });
    expect(state.downloads).toEqual([]);
    expect(fs.existsSync(path.join(harness.dataDir, 'downloads', 'tiny--janus-tiny'))).toBe(false);
    expect(downloaded(state)).toBeUndefined();
  });

  test('too little free space is refused before anything is fetched, saying how much is needed', async () => {
    const { api, hub } = await open(undefined, { hub: { freeBytes: async () => 100_000 } });
    await expect(api.models.download({ repo: REPO, precision: 'q4' })).rejects.toThrow(
      /^Not enough free disk space for "tiny\/janus-tiny" \(q4\): it needs [\d.]+ KB more and 97.7 KB is free in /,
    );
    expect(hub.fileRequests).toEqual([]);
    expect((await api.models.list()).downloads).toEqual([]);
  });

  test('a full disk mid-download fails with a clear message and keeps what was written', async () => {
    let written = 0;
    const append: HubOptions['append'] = async (file, chunk) => {
      if (written + chunk.length > 150_000) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      written += chunk.length;
      return file.write(chunk);
    };
    const { api } = await open(undefined, { hub: { append } });
    await api.models.download({ repo: REPO, precision: 'q4' });
    const [failed] = (await until((s) => s.downloads[0]?.state === 'failed', 'the failure')).downloads;
    expect(failed!.error).toBe('The disk is full: "tiny/janus-tiny" could not be written. Free some space, then resume. What was fetched is kept; resume to continue.');
    expect(failed!.bytesDone).toBe(written);
  });

  test('a file whose sha256 differs from the listing is deleted and never becomes a model', async () => {
    const corrupt = 'onnx/language_model_q4.onnx';
    const { api, harness } = await open({ [REPO]: { dir: REPLICA, corrupt: [corrupt] } });
    await api.models.download({ repo: REPO, precision: 'q4' });
    const state = await until((s) => s.downloads[0]?.state === 'failed', 'the failure');
    expect(state.downloads[0]!.error).toBe(
      `${corrupt} of "tiny/janus-tiny" arrived corrupted (its sha256 differs from the Hub's listing); it was deleted, resume to fetch it again.`,
    );
    expect(fs.existsSync(path.join(harness.dataDir, 'downloads', 'tiny--janus-tiny', corrupt))).toBe(false);
    expect(downloaded(state)).toBeUndefined();
  });

  test('unknown and gated repositories, a bad id and an unreachable Hub each get one clear line', async () => {
    const { api, hub } = await open({ [REPO]: { dir: REPLICA }, 'gated/janus': { dir: REPLICA, token: 'hf_secret' } });
    await expect(api.models.inspectRepo({ repo: 'nobody/nothing' })).rejects.toThrow(
      'The repository "nobody/nothing" was not found on 127.0.0.1:' + new URL(hub.url).port + ': check its id (owner/name); a private one also needs HF_TOKEN.',
    );
    await expect(api.models.download({ repo: 'gated/janus', precision: 'q4' })).rejects.toThrow(
      `"gated/janus" is gated: accept its licence at ${hub.url}/gated/janus while signed in, then start Parti Studio with HF_TOKEN set to an access token of that account.`,
    );
    await expect(api.models.inspectRepo({ repo: 'Janus-Pro-1B' })).rejects.toThrow('a Hugging Face repository id is owner/name, e.g. onnx-community/Janus-Pro-1B-ONNX');
    await expect(api.models.download({ repo: REPO, precision: 'fp16' })).rejects.toThrow('"tiny/janus-tiny" has no fp16 graphs; it offers q4, fp32.');
    await hub.close();
    await expect(api.models.inspectRepo({ repo: REPO })).rejects.toThrow(`Cannot reach 127.0.0.1:${new URL(hub.url).port} (offline, or the connection was refused or dropped).`);
  });

  test('the Hub going away mid-download fails as offline, keeping what was fetched', async () => {
    const { api, hub } = await open(undefined, { slow: true });
    await api.models.download({ repo: REPO, precision: 'q4' });
    await until((s) => (s.downloads[0]?.bytesDone ?? 0) > 20_000, 'some bytes');
    await hub.close();
    const [failed] = (await until((s) => s.downloads[0]?.state === 'failed', 'the failure')).downloads;
    expect(failed!.error).toMatch(/^Cannot reach 127\.0\.0\.1:\d+ \(offline, or the connection was refused or dropped\)\. What was fetched is kept; resume to continue\.$/);
    expect(failed!.bytesDone).toBeGreaterThan(20_000);
  });
});

describe('the model list', () => {
  test('lists the embedded model with size, family, precision and origin; it cannot be removed', async () => {
    const { api } = await open();
    const [embedded] = (await api.models.list()).models;
    const packageBytes = fs.readdirSync(path.join(FIXTURES, 'tiny-package')).reduce((sum, f) => sum + fs.statSync(path.join(FIXTURES, 'tiny-package', f)).size, 0);
    expect(embedded).toMatchObject({ id: 'tiny-test', family: 'shapes', precisions: ['fp32'], sizeBytes: packageBytes, origin: { kind: 'embedded' }, inUse: true, licence: null });
    await expect(api.models.remove({ dir: embedded!.dir })).rejects.toThrow(/is embedded in Parti Studio and cannot be removed\.$/);
  });

  test('adding a folder: a model is listed where it is; an empty folder or a missing path is refused', async () => {
    const { api } = await open();
    const empty = tempDir();
    await expect(api.models.addFolder({ dir: empty })).rejects.toThrow(`${empty} is not a model folder: it has neither a manifest.json (model package) nor a config.json (Hugging Face layout).`);
    await expect(api.models.addFolder({ dir: path.join(empty, 'nope') })).rejects.toThrow(`There is no folder at ${path.join(empty, 'nope')}.`);
    const state = await api.models.addFolder({ dir: REPLICA });
    expect(state.models.find((m) => m.dir === REPLICA)).toMatchObject({ family: 'janus', precisions: ['fp32', 'q4'], origin: { kind: 'folder' }, error: null });
    await expect(api.models.addFolder({ dir: REPLICA })).rejects.toThrow(`${REPLICA} is already in the list.`);
    const removed = await api.models.remove({ dir: REPLICA });
    expect(removed.models.some((m) => m.dir === REPLICA)).toBe(false);
    expect(fs.existsSync(path.join(REPLICA, 'config.json'))).toBe(true);
  });

  test('removing the model the settings name, which failed to open at start, puts the embedded one back in use', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const chosen = path.join(tempDir(), 'janus-chosen');
    fs.cpSync(REPLICA, chosen, { recursive: true });
    harness = await openInProcessStudio({ dataDir });
    await harness.api.models.addFolder({ dir: chosen });
    await harness.api.models.use({ dir: chosen });
    await harness.close();
    // Damaged while the studio was closed: the next start cannot open it.
    for (const file of fs.readdirSync(path.join(chosen, 'onnx'))) if (file.startsWith('language_model')) fs.rmSync(path.join(chosen, 'onnx', file));
    harness = await openInProcessStudio({ dataDir });
    const api = harness.api;
    expect((await api.settings.get()).runtime.model).toBeNull();
    const removed = await api.models.remove({ dir: chosen });
    expect(removed.models.some((m) => m.dir === chosen)).toBe(false);
    const { settings, runtime } = await api.settings.get();
    expect(settings.modelPackage).toBeNull();
    expect(runtime.model?.id).toBe('tiny-test');
  });

  test('an added folder is read by itself, not among its siblings (a copy of the same model beside it changes nothing)', async () => {
    const { api } = await open();
    const parent = tempDir();
    const modelPackage = path.join(FIXTURES, 'tiny-package');
    fs.cpSync(modelPackage, path.join(parent, 'a-copy'), { recursive: true });
    const target = path.join(parent, 'b-target');
    fs.cpSync(modelPackage, target, { recursive: true });
    const state = await api.models.addFolder({ dir: target });
    expect(state.models.filter((m) => m.origin.kind === 'folder').map((m) => m.dir)).toEqual([target]);
  });

  test('a model that fails to open never replaces the working one', async () => {
    const { api } = await open();
    const broken = path.join(tempDir(), 'janus-broken');
    fs.cpSync(REPLICA, broken, { recursive: true });
    for (const file of fs.readdirSync(path.join(broken, 'onnx'))) if (file.startsWith('language_model')) fs.rmSync(path.join(broken, 'onnx', file));
    await api.models.addFolder({ dir: broken });
    await expect(api.models.use({ dir: broken })).rejects.toThrow(/^Could not open the model package: .*language_model/);
    const { settings, runtime } = await api.settings.get();
    expect(settings.modelPackage).toBeNull();
    expect(runtime.model?.id).toBe('tiny-test');
    expect((await api.models.list()).models.find((m) => m.inUse)?.id).toBe('tiny-test');
    await expect(api.models.remove({ dir: (await api.models.list()).models[0]!.dir })).rejects.toThrow(/cannot be removed/);
  });
});
