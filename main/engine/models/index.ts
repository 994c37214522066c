/**
 * Model folders: discovery (embedded models, then the user's), recognition of the family
 * from the folder's own files (this project's manifest.json, or a Hugging Face config.json
 * of a supported model type), and opening.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../errors.js';
import type { EngineOptions, PackageInfo } from '../types.js';
import { hasHuggingFaceConfig, janusInfo, readJanusConfig } from './janus/folder.js';
import { openJanusModel } from './janus/index.js';
import type { LoadedModel } from './model.js';
import { openShapesModel } from './shapes/index.js';
import { DEFAULT_EMBEDDED_DIR, packageInfo, readManifest } from './shapes/package.js';

export type { DecodingState, LoadedModel, PreparedPrompt, StepLogits } from './model.js';

const hasManifest = (dir: string) => existsSync(path.join(dir, 'manifest.json'));

function sourceOf(dir: string, options: EngineOptions): PackageInfo['source'] {
  return path.resolve(dir).startsWith(path.resolve(options.embeddedModelsDir ?? DEFAULT_EMBEDDED_DIR)) ? 'embedded' : 'user';
}

/** The listing entry of a model folder, read from its config files only (graphs are checked on open). */
async function readModelInfo(dir: string, source: PackageInfo['source']): Promise<PackageInfo> {
  if (hasManifest(dir)) return packageInfo(await readManifest(dir), dir, source);
  if (hasHuggingFaceConfig(dir)) return janusInfo(await readJanusConfig(dir), source);
  throw new EngineError('PACKAGE_NOT_FOUND', `No model in ${dir}: it has neither a manifest.json (model package) nor a config.json (Hugging Face layout).`);
}

/** A listing entry for a folder that cannot be used: named after the folder, with `error` set. */
function unusableModel(dir: string, source: PackageInfo['source'], error: string): PackageInfo {
  const name = path.basename(dir);
  const defaults = { guidance: 1, temperature: 1, topK: 0, topP: 1, candidates: 1 }; // never used: the model cannot open
  const family = hasManifest(dir) ? 'shapes' : 'janus';
  return { id: name, name, description: '', dir, source, family, precision: '', scoreKind: 'reranker', resolution: 0, grid: 0, defaults, wordGroups: [], error };
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name)).sort();
  } catch {
    return []; // a models folder that does not exist (yet) holds no models
  }
}

/**
 * Every sub-folder holding a model, embedded first. An unusable one is listed with `error`
 * set; a user model whose id an earlier model already has is skipped with a warning.
 */
/**
 * One folder as a model: its information when it holds a usable model, an unusable entry
 * (saying why) when it holds a broken one, null when it is not a model folder at all.
 */
export async function describeModelFolder(dir: string, source: PackageInfo['source']): Promise<PackageInfo | null> {
  try {
    return await readModelInfo(dir, source);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'PACKAGE_NOT_FOUND') return null;
    return unusableModel(dir, source, (error as Error).message);
  }
}

export async function discoverModels(options: EngineOptions = {}): Promise<PackageInfo[]> {
  const roots: [string, PackageInfo['source']][] = [[options.embeddedModelsDir ?? DEFAULT_EMBEDDED_DIR, 'embedded']];
  if (options.userModelsDir) roots.push([options.userModelsDir, 'user']);
  const found: PackageInfo[] = [];
  for (const [root, source] of roots) {
    for (const dir of await subfolders(root)) {
      const info = await describeModelFolder(dir, source);
      if (!info) continue;
      if (info.error === undefined && found.some((p) => p.id === info.id)) {
        options.onWarning?.(`Skipping ${dir}: a model with id "${info.id}" was found first.`);
        continue;
      }
      found.push(info);
    }
  }
  return found;
}

/** The folder of the requested model (or of the first usable one when no id is given). */
export async function findModelDir(options: EngineOptions): Promise<string> {
  const models = await discoverModels(options);
  const match = models.find((p) => (options.modelId === undefined ? p.error === undefined : p.id === options.modelId));
  if (!match) {
    const known = models.filter((p) => p.error === undefined).map((p) => p.id);
    const wanted = options.modelId === undefined ? 'No usable model found' : `No model "${options.modelId}"`;
    const searched = [options.embeddedModelsDir ?? DEFAULT_EMBEDDED_DIR, options.userModelsDir].filter(Boolean).join(' and ');
    throw new EngineError('PACKAGE_NOT_FOUND', `${wanted} in ${searched} (available: ${known.length > 0 ? known.join(', ') : 'none'}).`);
  }
  if (match.error !== undefined) throw new EngineError('PACKAGE_INVALID', match.error);
  return match.dir;
}

/** Opens the model in `dir`, whichever family its files say it is. Throws EngineError. */
export async function openModel(dir: string, options: EngineOptions = {}): Promise<LoadedModel> {
  if (hasManifest(dir)) return openShapesModel(dir, options);
  if (hasHuggingFaceConfig(dir)) {
    const model = await openJanusModel(dir, options);
    return { ...model, info: { ...model.info, source: sourceOf(dir, options) } };
  }
  await readModelInfo(dir, 'user'); // throws the PACKAGE_NOT_FOUND that names both kinds
  throw new EngineError('PACKAGE_NOT_FOUND', `No model in ${dir}.`);
}
