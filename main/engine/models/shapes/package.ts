/**
 * Model packages: discovery (embedded packages, then a user models folder), manifest and
 * file verification, and the ONNX sessions, created once per open package and reused by
 * every request.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type ort from 'onnxruntime-node';
import { EngineError } from '../../errors.js';
import { GRAPH_NAMES, ManifestSchema, PACKAGE_FORMAT, SUPPORTED_FORMAT_VERSIONS, type GraphSpec, type Manifest } from './manifest.js';
import { availableProviders, createSession, defaultThreads, providerOrder } from '../../providers.js';
import { PromptTokenizer } from './text.js';
import type { EngineOptions, GraphName, PackageInfo, ProvidersReport, SessionProvider } from '../../types.js';

/** The repository's native-models/ (main/engine/models/shapes/ -> ../../../../native-models). */
export const DEFAULT_EMBEDDED_DIR = fileURLToPath(new URL('../../../../native-models/', import.meta.url));

export interface ModelPackage {
  info: PackageInfo;
  manifest: Manifest;
  tokenizer: PromptTokenizer;
  sessions: Record<GraphName, ort.InferenceSession>;
  providers: ProvidersReport;
  release(): Promise<void>;
}

/** Reads and validates a package's manifest (no file checks). Throws EngineError. */
export async function readManifest(dir: string): Promise<Manifest> {
  const manifestPath = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    throw new EngineError('PACKAGE_NOT_FOUND', `No model package in ${dir}: manifest.json is missing.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new EngineError('PACKAGE_INVALID', `${manifestPath} is not valid JSON (${(error as Error).message}).`);
  }
  const header = (typeof raw === 'object' && raw !== null ? raw : {}) as { format?: unknown; formatVersion?: unknown };
  if (header.format !== PACKAGE_FORMAT) {
    throw new EngineError('PACKAGE_INVALID', `${manifestPath} is not a model package (format ${JSON.stringify(header.format)}, expected "${PACKAGE_FORMAT}").`);
  }
  if (typeof header.formatVersion !== 'number' || !SUPPORTED_FORMAT_VERSIONS.includes(header.formatVersion)) {
    throw new EngineError(
      'PACKAGE_VERSION',
      `${manifestPath} has package format version ${JSON.stringify(header.formatVersion)}; this engine reads version ${SUPPORTED_FORMAT_VERSIONS.join(', ')}.`,
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError('PACKAGE_INVALID', `${manifestPath}: ${issue?.path.join('.') || 'manifest'}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}

export function packageInfo(manifest: Manifest, dir: string, source: PackageInfo['source']): PackageInfo {
  return {
    id: manifest.id,
    name: manifest.name,
    description: manifest.description,
    dir,
    source,
    family: 'shapes',
    precision: 'fp32',
    scoreKind: 'reranker',
    resolution: manifest.image.resolution,
    grid: manifest.image.grid,
    defaults: manifest.defaults,
    wordGroups: Object.entries(manifest.text.wordGroups ?? {}).map(([label, words]) => ({ label, words })),
  };
}

/** Every word the manifest groups for the prompt's chips must be one the tokenizer knows. */
function checkWordGroups(manifest: Manifest, tokenizer: PromptTokenizer): void {
  const known = new Set(tokenizer.vocabulary());
  for (const [group, phrases] of Object.entries(manifest.text.wordGroups ?? {})) {
    const unknown = phrases.flatMap((phrase) => phrase.split(' ')).filter((word) => !known.has(word));
    if (unknown.length > 0) {
      throw new EngineError('PACKAGE_INVALID', `manifest.json text.wordGroups.${group} names ${unknown.map((w) => `"${w}"`).join(', ')}, which ${manifest.text.tokenizer} does not know.`);
    }
  }
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Checks every file the manifest lists: present, of the listed size, with the listed sha256.
 * The graphs and the tokenizer must be among them, so nothing the engine loads goes unchecked.
 */
async function verifyFiles(manifest: Manifest, dir: string, checksums = true): Promise<void> {
  const needed = [manifest.text.tokenizer, ...GRAPH_NAMES.map((g) => manifest.graphs[g].file)];
  const unlisted = needed.filter((file) => !(file in manifest.files));
  if (unlisted.length > 0) {
    throw new EngineError('PACKAGE_INVALID', `Model package "${manifest.id}": manifest.files does not list ${unlisted.join(', ')}.`);
  }
  for (const [file, expected] of Object.entries(manifest.files)) {
    const full = path.join(dir, file);
    const actualBytes = await stat(full).then((s) => s.size, () => undefined);
    if (actualBytes === undefined) {
      throw new EngineError('FILE_MISSING', `Model package "${manifest.id}" is incomplete: ${file} is missing from ${dir}.`);
    }
    if (actualBytes !== expected.bytes) {
      throw new EngineError(
        'FILE_TRUNCATED',
        `Model package "${manifest.id}": ${file} is ${actualBytes} bytes but the manifest says ${expected.bytes} (truncated or partly copied).`,
      );
    }
    if (checksums && (await sha256File(full)) !== expected.sha256) {
      throw new EngineError('FILE_CORRUPT', `Model package "${manifest.id}": ${file} does not match its sha256 (corrupted or replaced).`);
    }
  }
}

/**
 * Throws GRAPH_MISMATCH unless the session's inputs/outputs are the manifest's (names,
 * element types, ranks), and each size the graph fixes is the size the manifest declares, so
 * a manifest cannot claim another grid or resolution than its graphs have.
 */
function checkGraphInterface(graph: GraphName, spec: GraphSpec, session: ort.InferenceSession): void {
  const describe = (values: readonly ort.InferenceSession.ValueMetadata[]) =>
    values.map((v) => (v.isTensor ? `${v.name}:${v.type}[${v.shape.length}]` : v.name)).sort().join(', ');
  const declared = (values: GraphSpec['inputs']) =>
    values.map((v) => `${v.name}:${v.type}[${v.shape.length}]`).sort().join(', ');
  for (const side of ['inputs', 'outputs'] as const) {
    const metadata = side === 'inputs' ? session.inputMetadata : session.outputMetadata;
    const actual = describe(metadata);
    const expected = declared(spec[side]);
    if (actual !== expected) {
      throw new EngineError('GRAPH_MISMATCH', `${spec.file} (${graph}) has ${side} {${actual}}, the manifest declares {${expected}}.`);
    }
    for (const value of spec[side]) {
      const real = metadata.find((m) => m.name === value.name);
      const shape = real?.isTensor ? real.shape : [];
      const differs = value.shape.findIndex((dim, i) => typeof dim === 'number' && typeof shape[i] === 'number' && shape[i] >= 0 && shape[i] !== dim);
      if (differs >= 0) {
        throw new EngineError('GRAPH_MISMATCH', `${spec.file} (${graph}): ${value.name} has size ${shape[differs]} in dimension ${differs}, the manifest declares ${value.shape[differs]}.`);
      }
    }
  }
}

/** Verifies a package folder and opens it: tokenizer plus one session per graph. Throws EngineError. */
export async function openPackage(dir: string, options: EngineOptions = {}): Promise<ModelPackage> {
  const manifest = await readManifest(dir);
  await verifyFiles(manifest, dir, !options.skipChecksums);
  const setting = options.provider ?? 'auto';
  const order = providerOrder(setting);
  const tokenizer = await PromptTokenizer.load(path.join(dir, manifest.text.tokenizer), manifest.text);
  checkWordGroups(manifest, tokenizer);
  const sessions = {} as Record<GraphName, ort.InferenceSession>;
  const reports: SessionProvider[] = [];
  const failedProviders = new Map<string, string>();
  const threads = options.threads ?? defaultThreads(manifest.files[manifest.graphs.decoder.file]?.bytes ?? Infinity);
  try {
    for (const graph of GRAPH_NAMES) {
      const spec = manifest.graphs[graph];
      const created = await createSession(graph, path.join(dir, spec.file), order, threads, failedProviders).catch((error: unknown) => {
        throw new EngineError('PACKAGE_INVALID', `${spec.file} cannot be loaded: ${(error as Error).message.split('\n')[0]}`);
      });
      sessions[graph] = created.session;
      reports.push(created.report);
      checkGraphInterface(graph, spec, created.session);
    }
  } catch (error) {
    await Promise.all(Object.values(sessions).map((s) => s.release()));
    throw error;
  }
  const source = path.resolve(dir).startsWith(path.resolve(options.embeddedModelsDir ?? DEFAULT_EMBEDDED_DIR)) ? 'embedded' : 'user';
  return {
    info: packageInfo(manifest, dir, source),
    manifest,
    tokenizer,
    sessions,
    providers: { setting, available: availableProviders(), sessions: reports, decodingGraph: 'decoder', intraOpThreads: threads ?? null },
    release: async () => {
      await Promise.all(Object.values(sessions).map((s) => s.release()));
    },
  };
}
