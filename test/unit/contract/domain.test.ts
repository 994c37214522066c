/**
 * One source of truth for the domain: every layer that checks sampling settings (the IPC
 * contract, the engine, a package manifest, the PNG reader, the settings store) accepts
 * exactly the domain module's limits, and the UI offers only values inside them. A layer that
 * declared its own limit fails here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { contract, GenerationRequest, Settings } from '../../../main/common/contract';
import { ImageParameters } from '../../../main/common/image-parameters';
import { PROVIDER_NAMES, PROVIDER_SETTINGS } from '../../../main/common/providers';
import { SAMPLING_CONTROLS, SAMPLING_LIMITS, SamplingSettings, type SamplingSetting } from '../../../main/common/sampling';
import { encodePng, readPngMetadata } from '../../../main/engine/png';
import { ManifestSchema } from '../../../main/engine/models/shapes/manifest';
import { resolveSettings } from '../../../main/engine/settings';
import { Library } from '../../../main/library/index';
import { parametersIn } from '../../../main/studio/imports';

const base: SamplingSettings = { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 };
const keys = Object.keys(SAMPLING_LIMITS) as SamplingSetting[];

/** The largest value each limit allows, and the smallest it refuses on each side. */
function edges(key: SamplingSetting): { accepted: number[]; refused: number[] } {
  const limit: { min?: number; above?: number; max: number } = SAMPLING_LIMITS[key];
  const integer = key === 'topK' || key === 'candidates';
  const below = limit.min !== undefined ? limit.min - (integer ? 1 : 0.001) : limit.above!;
  return {
    accepted: [limit.max, ...(limit.min !== undefined ? [limit.min] : [limit.above! + 0.001])],
    refused: [limit.max + (integer ? 1 : 0.001), below],
  };
}

/** Each layer's own check, as a yes/no on a full set of settings. */
const layers: Record<string, (settings: SamplingSettings) => boolean> = {
  'contract (generation.start)': (settings) => contract.generation.start.input.safeParse({ prompt: 'a red circle', settings, seed: 1 }).success,
  'contract (settings)': (settings) => Settings.shape.sampling.safeParse(settings).success,
  'engine (resolveSettings)': (settings) => {
    try {
      resolveSettings(base, settings);
      return true;
    } catch {
      return false;
    }
  },
  'package manifest defaults': (settings) => ManifestSchema.shape.defaults.safeParse(settings).success,
  'PNG parameters reader': (settings) => {
    const png = encodePng({ width: 1, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255]) }, { kind: 'generate', prompt: 'p', seed: 1, settings, modelId: 'm' });
    return readPngMetadata(png) !== undefined;
  },
  'library import (parametersIn)': (settings) => {
    const png = encodePng({ width: 1, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255]) }, { kind: 'generate', prompt: 'p', seed: 1, settings, modelId: 'm' });
    return parametersIn(png) !== null;
  },
};

describe.each(Object.entries(layers))('%s', (_name, accepts) => {
  test.each(keys)('takes its %s limits from the domain module', (key) => {
    const { accepted, refused } = edges(key);
    for (const value of accepted) expect(accepts({ ...base, [key]: value }), `${key} = ${value}`).toBe(true);
    for (const value of refused) expect(accepts({ ...base, [key]: value }), `${key} = ${value}`).toBe(false);
  });
});

test('the schemas are the domain module’s own objects, not copies', () => {
  expect(GenerationRequest.shape.settings).toBe(SamplingSettings);
  expect(Settings.shape.sampling).toBe(SamplingSettings);
  expect(ManifestSchema.shape.defaults).toBe(SamplingSettings);
  expect(ImageParameters.shape.settings).toBe(SamplingSettings);
});

test('the UI offers a control for every setting, each inside the limits', () => {
  expect(SAMPLING_CONTROLS.map((control) => control.key).sort()).toEqual([...keys].sort());
  for (const control of SAMPLING_CONTROLS) {
    const settings = (value: number) => SamplingSettings.safeParse({ ...base, [control.key]: value }).success;
    expect(settings(control.min), `${control.key} min`).toBe(true);
    expect(settings(control.max), `${control.key} max`).toBe(true);
    expect(control.min).toBeLessThan(control.max);
  }
});

test('every provider the settings accept has a name in the UI', () => {
  expect(Object.keys(PROVIDER_NAMES).sort()).toEqual([...PROVIDER_SETTINGS].sort());
  expect(Settings.shape.executionProvider.options).toEqual([...PROVIDER_SETTINGS]);
});

describe('a PNG made with 40 candidates (within the engine’s limit, over the old contract’s 32)', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test('is re-imported by the library’s start-up reconcile with its parameters, not set aside as foreign', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-domain-'));
    dirs.push(dataDir);
    const parameters = { kind: 'generate' as const, prompt: 'a red circle', seed: 9, settings: { ...base, candidates: 40 }, modelId: 'shapes-v1', rank: 3 };
    const png = encodePng({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(200) }, parameters);
    fs.mkdirSync(path.join(dataDir, 'images'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'images', 'forty.png'), png);

    const library = Library.open({ dataDir, readParameters: parametersIn });
    try {
      expect(library.startReport).toMatchObject({ reimported: 1, unrecognised: 0 });
      const [image] = library.images.list({ search: '', favouritesOnly: false, limit: 10, offset: 0 }).items;
      expect(image?.parameters).toEqual(parameters);
    } finally {
      library.close();
    }
  });
});
