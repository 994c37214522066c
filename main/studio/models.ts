/**
 * The model catalogue: the embedded models, the ones downloaded into
 * `<data folder>/models/`, and folders the user added (listed where they are, never copied
 * or changed). Each entry says its size, family, precisions, licence and origin. Using one
 * goes through the settings, so a model that fails to open leaves the working one in use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ModelEntry, ModelOrigin, ModelsState } from '../common/contract';
import { describeModelFolder, discoverModels, PRECISION_SUFFIX, type PackageInfo } from '../engine/index';
import type { DownloadService } from './downloads';
import { SOURCE_NOTE, SourceNote } from './downloads';
import { UserError } from './errors';
import type { Services } from './services';

const FOLDERS_KEY = 'modelFolders';

export interface CatalogueDeps extends Pick<Services, 'library' | 'runtime' | 'settings' | 'emit'> {
  downloads: DownloadService;
  /** Where downloads land. */
  modelsDir: string;
  embeddedModelsDir?: string;
}

export class ModelCatalogue {
  constructor(private readonly deps: CatalogueDeps) {}

  async state(): Promise<ModelsState> {
    return { models: await this.models(), downloads: await this.deps.downloads.list() };
  }

  /** Sends the new state to every renderer, and returns it. */
  async changed(): Promise<ModelsState> {
    const state = await this.state();
    this.deps.emit('models', 'changed', state);
    return state;
  }

  async models(): Promise<ModelEntry[]> {
    const { embeddedModelsDir, modelsDir } = this.deps;
    const found = await discoverModels({ ...(embeddedModelsDir ? { embeddedModelsDir } : {}), userModelsDir: modelsDir });
    const listed = await Promise.all(found.map((info) => this.entry(info, info.source === 'embedded' ? { kind: 'embedded' } : originOf(info.dir))));
    const folders = await Promise.all(
      this.folders().map(async (dir) => {
        const info = await describeModelFolder(dir, 'user');
        return info ? this.entry(info, { kind: 'folder' }) : unreadableFolder(dir);
      }),
    );
    return [...listed, ...folders];
  }

  async addFolder(folder: string): Promise<ModelsState> {
    const dir = path.resolve(folder);
    const stats = await fsp.stat(dir).catch(() => null);
    if (!stats?.isDirectory()) throw new UserError(`There is no folder at ${dir}.`);
    const info = await describeModelFolder(dir, 'user');
    if (!info) throw new UserError(`${dir} is not a model folder: it has neither a manifest.json (model package) nor a config.json (Hugging Face layout).`);
    if (info.error !== undefined) throw new UserError(`${dir} cannot be used: ${info.error}`);
    if ((await this.models()).some((entry) => path.resolve(entry.dir) === dir)) throw new UserError(`${dir} is already in the list.`);
    this.deps.library.settings.set(FOLDERS_KEY, [...this.folders(), dir]);
    return this.changed();
  }

  async use(dir: string): Promise<ModelsState> {
    const models = await this.models();
    const entry = this.find(models, dir);
    if (entry.error !== null) throw new UserError(`${entry.name} cannot be used: ${entry.error}`);
    const defaultEmbedded = models.find((model) => model.origin.kind === 'embedded' && model.error === null);
    // The embedded default is stored as null, so that it follows the app when it moves or updates.
    await this.deps.settings.update({ modelPackage: entry === defaultEmbedded ? null : entry.dir });
    return this.changed();
  }

  async remove(dir: string): Promise<ModelsState> {
    const entry = this.find(await this.models(), dir);
    if (entry.origin.kind === 'embedded') throw new UserError(`${entry.name} is embedded in Parti Studio and cannot be removed.`);
    if (entry.inUse) throw new UserError(`${entry.name} is the model in use; choose another model first.`);
    if (entry.origin.kind === 'hub') await fsp.rm(entry.dir, { recursive: true, force: true });
    else this.deps.library.settings.set(FOLDERS_KEY, this.folders().filter((folder) => folder !== entry.dir));
    // The settings may still name it (it failed to open at start): the embedded model takes its place.
    const named = this.deps.settings.current.modelPackage;
    if (named !== null && path.resolve(named) === path.resolve(entry.dir)) await this.deps.settings.update({ modelPackage: null });
    return this.changed();
  }

  private find(models: readonly ModelEntry[], dir: string): ModelEntry {
    const entry = models.find((model) => path.resolve(model.dir) === path.resolve(dir));
    if (!entry) throw new UserError(`${dir} is not in the model list; add it first.`);
    return entry;
  }

  private folders(): string[] {
    const stored = z.array(z.string()).safeParse(this.deps.library.settings.get(FOLDERS_KEY));
    return stored.success ? stored.data : [];
  }

  private async entry(info: PackageInfo, origin: ModelOrigin): Promise<ModelEntry> {
    const openDir = this.deps.runtime.openDir;
    return {
      dir: info.dir,
      id: info.id,
      name: info.name,
      family: info.family,
      precisions: info.family === 'janus' ? precisionsIn(info.dir) : [info.precision || 'fp32'],
      sizeBytes: await folderSize(info.dir),
      licence: await licenceOf(info.dir),
      origin,
      inUse: openDir !== null && path.resolve(openDir) === path.resolve(info.dir),
      error: info.error ?? null,
    };
  }
}

/** The listing entry of one folder, or null when it holds no model. */
/** A folder the user added that no longer holds a model: listed, so it can be removed. */
function unreadableFolder(dir: string): ModelEntry {
  const error = existsSync(dir) ? 'it no longer holds a model (no manifest.json or config.json)' : 'the folder is gone';
  const name = path.basename(dir);
  return { dir, id: name, name, family: 'unknown', precisions: [], sizeBytes: 0, licence: null, origin: { kind: 'folder' }, inUse: false, error };
}

function originOf(dir: string): ModelOrigin {
  try {
    const note = SourceNote.parse(JSON.parse(readFileSync(path.join(dir, SOURCE_NOTE), 'utf8')));
    return { kind: 'hub', ...note };
  } catch {
    return { kind: 'folder' };
  }
}

/** The precisions of the language model graphs in a Hugging Face layout's onnx/ folder. */
function precisionsIn(dir: string): string[] {
  const files = existsSync(path.join(dir, 'onnx')) ? readdirSync(path.join(dir, 'onnx')) : [];
  return Object.entries(PRECISION_SUFFIX)
    .filter(([, suffix]) => files.includes(`language_model${suffix}.onnx`))
    .map(([precision]) => precision);
}

async function folderSize(dir: string): Promise<number> {
  const entries = await fsp.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const sizes = await Promise.all(
    entries.filter((entry) => entry.isFile()).map((entry) => fsp.stat(path.join(entry.parentPath, entry.name)).then((s) => s.size, () => 0)),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** A model card's `license:` (its YAML front matter), or a manifest's `licence`/`license`. */
async function licenceOf(dir: string): Promise<string | null> {
  const card = await fsp.readFile(path.join(dir, 'README.md'), 'utf8').catch(() => '');
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(card)?.[1] ?? '';
  const cardKey = (key: string) => new RegExp(`^${key}:\\s*["']?([^"'\\r\\n]+?)["']?\\s*$`, 'm').exec(frontMatter)?.[1];
  const fromCard = cardKey('license_name') ?? cardKey('license');
  if (fromCard) return fromCard.trim();
  const manifest = await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>, () => ({}) as Record<string, unknown>);
  const stated = manifest.licence ?? manifest.license;
  return typeof stated === 'string' && stated.trim() ? stated.trim() : null;
}
