/** manifest.json of a model package (native-models/FORMAT.md, format version 2). */
import path from 'node:path';
import { z } from 'zod';
import { SamplingSettings } from '../../../common/sampling.js';
import type { GraphName } from '../../types.js';

export const PACKAGE_FORMAT = 'parti-package';
export const SUPPORTED_FORMAT_VERSIONS = [2];

/** A file of the package: relative, and still inside the folder once normalised (no "..", not absolute). */
function isInsideFolder(file: string): boolean {
  const normal = path.posix.normalize(file.replaceAll('\\', '/'));
  return !path.posix.isAbsolute(normal) && !path.win32.isAbsolute(file) && normal !== '..' && !normal.startsWith('../');
}
const OUTSIDE = 'must be a path inside the package folder';
const PackagePath = z.string().min(1).refine(isInsideFolder, OUTSIDE);

const ValueSpec = z.object({
  name: z.string().min(1),
  type: z.string().min(1),
  shape: z.array(z.union([z.string(), z.number().int()])),
});

const GraphSpec = z.object({
  file: PackagePath,
  inputs: z.array(ValueSpec).min(1),
  outputs: z.array(ValueSpec).min(1),
});

const positiveInt = z.number().int().positive();
const tokenId = z.number().int().min(0);

export const ManifestSchema = z.object({
  format: z.literal(PACKAGE_FORMAT),
  formatVersion: z.number().int(),
  id: z.string().regex(/^[a-z0-9-]+$/, 'id must match [a-z0-9-]+'),
  name: z.string().min(1),
  description: z.string().default(''),
  image: z.object({ resolution: positiveInt, grid: positiveInt, codebookSize: positiveInt }),
  text: z.object({
    tokenizer: PackagePath,
    maxLength: z.number().int().min(2),
    padId: tokenId,
    unkId: tokenId,
    bosId: tokenId,
    eosId: tokenId,
    /** The vocabulary's words by kind (colours, shapes, …), in the order the prompt's word chips show them. */
    wordGroups: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
  }),
  decoder: z.object({ layers: positiveInt, heads: positiveInt, headDim: positiveInt, startTokenId: tokenId }),
  reranker: z.object({ embedDim: positiveInt, logitScale: z.number() }),
  defaults: SamplingSettings,
  graphs: z.object({
    textEncoder: GraphSpec,
    decoder: GraphSpec,
    imageEncoder: GraphSpec,
    detokenizer: GraphSpec,
    rerankerText: GraphSpec,
    rerankerImage: GraphSpec,
  }),
  files: z.record(z.string(), z.object({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  training: z.unknown().optional(),
  metrics: z.unknown().optional(),
}).superRefine((manifest, context) => {
  for (const file of Object.keys(manifest.files)) {
    if (!isInsideFolder(file)) context.addIssue({ code: 'custom', path: ['files', file], message: OUTSIDE });
  }
  // The grid sizes every buffer of a run; one its graphs do not have would open and then fail mid-run.
  const { grid } = manifest.image;
  const tokens = manifest.graphs.detokenizer.inputs[0]?.shape.at(-1);
  if (typeof tokens === 'number' && tokens !== grid * grid) {
    context.addIssue({ code: 'custom', path: ['image', 'grid'], message: `${grid} × ${grid} image tokens, but the detokenizer takes ${tokens} tokens` });
  }
});

export type Manifest = z.infer<typeof ManifestSchema>;
export type GraphSpec = z.infer<typeof GraphSpec>;

export const GRAPH_NAMES: readonly GraphName[] = [
  'textEncoder',
  'decoder',
  'imageEncoder',
  'detokenizer',
  'rerankerText',
  'rerankerImage',
];
