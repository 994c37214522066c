/**
 * The one IPC contract of Parti Studio: every call the renderer can make and every event
 * main can push, with a zod schema for each payload and result.
 *
 * - Electron: `preload/index.ts` exposes exactly this API as `window.parti`.
 * - Browser: `main/bridge/client.ts` speaks the same API over the loopback WebSocket.
 * - Main: `main/studio/` implements it behind the thin handlers of `main/ipc/`, whose
 *   `dispatch.ts` validates every payload here.
 *
 * Binary values (dropped files, masks, downloads) travel as `Uint8Array`.
 * Calls reject with an `Error` whose message says what was wrong.
 */
import { z } from 'zod';
import { ExtendAmount } from './extension';
import { ImageParameters } from './image-parameters';
import { RunTimings } from './run-timings';
import { ScoreKind } from './scores';
import { ProviderCheck, ProviderSetting } from './providers';
import { SamplingSettings, Seed } from './sampling';
import { VariationParameters } from './variation';

export { ImageParameters } from './image-parameters';
export { ProviderSetting } from './providers';
export { SamplingSettings } from './sampling';
export { VariationParameters } from './variation';
import { MAX_IMPORT_BYTES, MAX_WAITING_RUNS, megabytes } from './limits';

// ---------------------------------------------------------------------------------------
// Building blocks

/** A call: renderer -> main, one request, one result. */
export interface CallDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly input: I;
  readonly output: O;
}
/** An event: main -> renderer, pushed whenever it happens. */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}
const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallDef<I, O> => ({
  kind: 'call',
  input,
  output,
});
const event = <P extends z.ZodType>(payload: P): EventDef<P> => ({ kind: 'event', payload });

/** Calls that take no argument. */
const noInput = z.undefined();

const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected binary data (a Uint8Array)');
const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected an id of 1-64 letters, digits, "-" or "_"');
/** Milliseconds since the Unix epoch. */
const Timestamp = z.number().int().nonnegative();
const PromptText = z
  .string()
  .max(1000, 'a prompt is at most 1000 characters')
  .refine((text) => text.trim().length > 0, 'the prompt is empty');

const MAX_MASK_SIDE = 4096;

// ---------------------------------------------------------------------------------------
// Sampling and generation

/** With guidance on, what the unconditional rows read: what to steer away from. Empty is none. */
const NegativePrompt = z.string().max(1000, 'a negative prompt is at most 1000 characters');

export const GenerationRequest = z.strictObject({
  prompt: PromptText,
  negativePrompt: NegativePrompt.optional(),
  settings: SamplingSettings,
  /** `null`: a random seed, chosen by main and reported back with the candidates. */
  seed: Seed.nullable(),
});
export type GenerationRequest = z.infer<typeof GenerationRequest>;

export const JobId = Id;
export const JobStarted = z.strictObject({ jobId: JobId, seed: Seed });
export type JobStarted = z.infer<typeof JobStarted>;

/** A small PNG as a `data:image/png;base64,...` URL (model resolution, for previews). */
const PngDataUrl = z.string().startsWith('data:image/png;base64,');

export const GenerationProgress = z.strictObject({
  jobId: JobId,
  /** Image tokens decoded so far and in all (per candidate). */
  tokensDone: z.number().int().nonnegative(),
  totalTokens: z.number().int().positive(),
  /** Estimated time left; null until it can be estimated. */
  etaMs: z.number().nonnegative().nullable(),
  /** Partial images, one per candidate, in candidate order; may be empty on some steps. */
  previews: z.array(PngDataUrl),
});
export type GenerationProgress = z.infer<typeof GenerationProgress>;

export const Candidate = z.strictObject({
  /** Position in the job's sampled batch. */
  index: z.number().int().nonnegative(),
  /** The gallery image it was saved as: every finished run is saved whole. */
  imageId: Id,
  /** Higher is better; `scoreKind` says which score it is. */
  score: z.number(),
  scoreKind: ScoreKind,
  /**
   * Edits: mean log-probability of the kept tokens after the masked region, how well the new
   * region fits what follows it; edits are ordered by it first, then by the score.
   */
  fit: z.number().optional(),
  /** For edits, composited over the source. */
  image: PngDataUrl,
  parameters: ImageParameters,
});
export type Candidate = z.infer<typeof Candidate>;

export const GenerationFinished = z.discriminatedUnion('outcome', [
  z.strictObject({
    jobId: JobId,
    outcome: z.literal('done'),
    /** Best first. */
    candidates: z.array(Candidate),
    /** Normalised prompt words the model does not know (read as [unk]). */
    unknownWords: z.array(z.string()),
    elapsedMs: z.number().nonnegative(),
  }),
  z.strictObject({ jobId: JobId, outcome: z.literal('cancelled') }),
  z.strictObject({ jobId: JobId, outcome: z.literal('failed'), error: z.string() }),
]);
export type GenerationFinished = z.infer<typeof GenerationFinished>;

/**
 * The latest run as main holds it, so that a reloaded page or a second window reattaches:
 * its request, its latest progress and, once over, how it ended.
 */
export const RunSnapshot = z.strictObject({
  jobId: JobId,
  kind: z.enum(['generate', 'edit', 'extend', 'variation']),
  prompt: z.string(),
  seed: Seed,
  candidateCount: z.number().int().positive(),
  progress: GenerationProgress.nullable(),
  finished: GenerationFinished.nullable(),
});
export type RunSnapshot = z.infer<typeof RunSnapshot>;

// ---------------------------------------------------------------------------------------
// The queue: generation runs waiting their turn, kept by main in the library

/** A generation as queued: its seed is drawn when it is queued, so the entry says which it is. */
export const QueuedRequest = GenerationRequest.extend({ seed: Seed });
export type QueuedRequest = z.infer<typeof QueuedRequest>;

export const QueueStatus = z.enum(['waiting', 'running', 'done', 'failed', 'cancelled']);
export type QueueStatus = z.infer<typeof QueueStatus>;

export const QueueEntry = z.strictObject({
  /** Also the job id of its run, in the generation events. */
  id: JobId,
  request: QueuedRequest,
  /** The model open when it was queued: it runs on that one or fails saying so. */
  modelId: z.string(),
  status: QueueStatus,
  /** Waiting entries' place in line, 0 next; null for the others. */
  position: z.number().int().nonnegative().nullable(),
  /** How much of the run is drawn, 0 to 1: 0 while waiting, 1 once done; null once stopped or failed. */
  progress: z.number().min(0).max(1).nullable(),
  /** Why it failed. */
  error: z.string().nullable(),
  createdAt: Timestamp,
});
export type QueueEntry = z.infer<typeof QueueEntry>;

/** Running first, then waiting in order, then the latest finished, newest first. */
export const QueueState = z.strictObject({
  entries: z.array(QueueEntry),
  /** The most runs that may wait: see MAX_WAITING_RUNS. */
  maxWaiting: z.number().int().positive(),
});
export type QueueState = z.infer<typeof QueueState>;

/** A batch: one prompt a line (`promptLines`), each queued with the same settings (a null seed: a random one each). */
export const QueueBatch = GenerationRequest.omit({ prompt: true }).extend({
  prompts: z
    .array(PromptText)
    .min(1, 'the batch is empty: write one prompt a line')
    .max(MAX_WAITING_RUNS, `a batch holds at most ${MAX_WAITING_RUNS} prompts (the most the queue holds waiting)`),
});
export type QueueBatch = z.infer<typeof QueueBatch>;

// ---------------------------------------------------------------------------------------
// Gallery

export const GalleryItem = z.strictObject({
  id: Id,
  /** Prompt, seed, settings, model, rank and (for edits) the source image. */
  parameters: ImageParameters,
  /** Execution provider that produced the image (e.g. "cpu", "cuda"). */
  provider: z.string(),
  createdAt: Timestamp,
  favourite: z.boolean(),
  /** The run it came from: a run's candidates share it and are listed together, best first. */
  runId: Id,
  /** The row exists but its file is gone from disk. */
  missing: z.boolean(),
  /** Where the renderer loads the image: `parti://image/<id>` or the bridge's HTTP route. */
  url: z.string(),
});
export type GalleryItem = z.infer<typeof GalleryItem>;

/** A gallery item linked from another (its source, or one made from it), which may be in the trash. */
export const LinkedImage = z.strictObject({ item: GalleryItem, trashed: z.boolean() });
export type LinkedImage = z.infer<typeof LinkedImage>;

/** What the inspector shows: the image, its place in its run, its timings and its lineage both ways. */
export const ImageDetails = z.strictObject({
  item: GalleryItem,
  trashed: z.boolean(),
  /** How many images its run made; `item.parameters.rank` is its place among them (0 = best). */
  runSize: z.number().int().positive(),
  /** Null for images whose run did not record them (imported files, images saved before timings were kept). */
  timings: RunTimings.nullable(),
  /** Its run's other images, best first, out of the trash. */
  runMates: z.array(GalleryItem),
  /** The image it was made from: null when it has none, or when `sourceGone`. */
  source: LinkedImage.nullable(),
  sourceGone: z.boolean(),
  /** Edits, variations and extensions made from it, oldest first. */
  derived: z.array(LinkedImage),
});
export type ImageDetails = z.infer<typeof ImageDetails>;

const ModelId = ImageParameters.shape.modelId.min(1, 'the model id is empty').max(200, 'a model id is at most 200 characters');

export const GalleryQuery = z
  .strictObject({
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(500).default(100),
    /** Whole prompt words that must all appear, in any order, case-insensitive; a number also matches the seed. */
    search: z.string().max(200).default(''),
    favouritesOnly: z.boolean().default(false),
    /** Only the images in this board. */
    boardId: Id.optional(),
    /** Only the images this model made. */
    modelId: ModelId.optional(),
    /** Only the images made at or after `from` and at or before `to` (both inclusive). */
    from: Timestamp.optional(),
    to: Timestamp.optional(),
  })
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    message: 'the date range ends before it starts',
    path: ['to'],
  })
  .prefault({});
export type GalleryQuery = z.input<typeof GalleryQuery>;
/** A gallery query with its defaults filled in, as the library runs it. */
export type GalleryFilter = z.output<typeof GalleryQuery>;

/** The models the library's images were made by, for the gallery's model filter. */
export const GalleryModels = z.strictObject({
  models: z.array(z.strictObject({ modelId: z.string(), images: z.number().int().positive() })),
});
export type GalleryModels = z.infer<typeof GalleryModels>;

/** Newest run first, each run best first. `total` counts every match, for sizing a virtualised grid. */
export const GalleryPage = z.strictObject({
  items: z.array(GalleryItem),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
});
export type GalleryPage = z.infer<typeof GalleryPage>;

export const MAX_IDS_PER_CALL = 10_000;
const Ids = z.array(Id).min(1, 'no image selected').max(MAX_IDS_PER_CALL, `at most ${MAX_IDS_PER_CALL.toLocaleString('en')} images at a time`);

export const GalleryChanged = z.strictObject({
  reason: z.enum(['added', 'updated', 'trashed', 'restored', 'reconciled']),
  ids: z.array(Id),
});
export type GalleryChanged = z.infer<typeof GalleryChanged>;

// ---------------------------------------------------------------------------------------
// Boards: user-named collections of gallery images

export const MAX_BOARD_NAME = 80;
const BoardName = z
  .string()
  .trim()
  .min(1, 'a board needs a name')
  .max(MAX_BOARD_NAME, `a board name is at most ${MAX_BOARD_NAME} characters`);

export const Board = z.strictObject({
  id: Id,
  /** Unique among boards, case-insensitively. */
  name: z.string(),
  createdAt: Timestamp,
  /** Its images out of the trash (trashed ones stay members and count again once restored). */
  images: z.number().int().nonnegative(),
});
export type Board = z.infer<typeof Board>;

/** Every board, by name. */
export const BoardsState = z.strictObject({ boards: z.array(Board) });
export type BoardsState = z.infer<typeof BoardsState>;

const BoardImages = z.strictObject({ boardId: Id, ids: Ids });

// ---------------------------------------------------------------------------------------
// Editing

/** One byte per pixel, row-major; non-zero marks a pixel to regenerate. */
export const Mask = z
  .strictObject({
    width: z.number().int().min(1).max(MAX_MASK_SIDE),
    height: z.number().int().min(1).max(MAX_MASK_SIDE),
    data: Bytes,
  })
  .refine((mask) => mask.data.length === mask.width * mask.height, {
    message: 'mask data must hold width × height bytes',
  });
export type Mask = z.infer<typeof Mask>;

/** What an edit starts from: a gallery image or an image dropped in (`files.importImage`). */
export const EditSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('image'), id: Id }),
  z.strictObject({ kind: z.literal('import'), id: Id }),
]);
export type EditSource = z.infer<typeof EditSource>;

export const EditRequest = z.strictObject({
  source: EditSource,
  prompt: PromptText,
  negativePrompt: NegativePrompt.optional(),
  mask: Mask,
  settings: SamplingSettings,
  seed: Seed.nullable(),
});
export type EditRequest = z.infer<typeof EditRequest>;

/**
 * Extending the canvas: the source grows by `by` token rows or columns on `side` (1 up to the
 * model's grid; the engine says so when it is more), the new strip drawn from `prompt`.
 */
export const ExtendRequest = z.strictObject({
  source: EditSource,
  prompt: PromptText,
  negativePrompt: NegativePrompt.optional(),
  ...ExtendAmount.shape,
  settings: SamplingSettings,
  seed: Seed.nullable(),
});
export type ExtendRequest = z.infer<typeof ExtendRequest>;

/**
 * "More like this": keep a share of the source's token cells (`strength` 0 keeps all, 1
 * none) and resample the rest with `prompt` (the source's, or a new one). Same events as
 * `generation.start`; the run is saved linked to its source.
 */
export const VariationRequest = z.strictObject({
  source: EditSource,
  prompt: PromptText,
  negativePrompt: NegativePrompt.optional(),
  ...VariationParameters.shape,
  settings: SamplingSettings,
  seed: Seed.nullable(),
});
export type VariationRequest = z.infer<typeof VariationRequest>;

/** The token cells a mask selects: what the editor overlays. */
export const MaskCells = z.strictObject({
  grid: z.number().int().positive(),
  /** Row-major cell indices, ascending. */
  cells: z.array(z.number().int().nonnegative()),
});
export type MaskCells = z.infer<typeof MaskCells>;

// ---------------------------------------------------------------------------------------
// Prompt history

export const PromptEntry = z.strictObject({
  id: z.number().int().positive(),
  text: z.string(),
  settings: SamplingSettings,
  lastUsedAt: Timestamp,
  count: z.number().int().nonnegative(),
  pinned: z.boolean(),
});
export type PromptEntry = z.infer<typeof PromptEntry>;

/** Pinned first, then most recently used. */
export const PromptQuery = z.strictObject({
  search: z.string().max(200).default(''),
  limit: z.number().int().min(1).max(1000).default(200),
}).prefault({});
export type PromptQuery = z.input<typeof PromptQuery>;

export const UnknownWord = z.strictObject({
  word: z.string(),
  /** Character range in the prompt as typed, for underlining. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** Closest known word, if any is close. */
  suggestion: z.string().nullable(),
});
export type UnknownWord = z.infer<typeof UnknownWord>;

/**
 * What the prompt box can offer as the user types: a closed vocabulary's words by kind
 * (completion and word chips), or, for an open vocabulary, nothing from the model (the box
 * completes from the history instead). `none` while no model is open.
 */
export const PromptAssist = z.discriminatedUnion('vocabulary', [
  z.strictObject({
    vocabulary: z.literal('closed'),
    /** Every word the model knows, for completing the word being typed. */
    words: z.array(z.string()),
    /** The words (or phrases) by kind, for the chips. */
    groups: z.array(z.strictObject({ label: z.string(), words: z.array(z.string()) })),
  }),
  z.strictObject({ vocabulary: z.enum(['open', 'none']) }),
]);
export type PromptAssist = z.infer<typeof PromptAssist>;

// ---------------------------------------------------------------------------------------
// Dropped files

export const DroppedFile = z.strictObject({
  name: z.string().max(1024),
  bytes: Bytes.refine((bytes) => bytes.length > 0, 'the file is empty').refine(
    (bytes) => bytes.length <= MAX_IMPORT_BYTES,
    `the file is larger than ${megabytes(MAX_IMPORT_BYTES)}`,
  ),
});
export type DroppedFile = z.infer<typeof DroppedFile>;

export const ImportedImage = z.strictObject({
  /** Pass as `{ kind: 'import', id }` to `edit.regenerate`. */
  importId: Id,
  /** Centre-cropped to square and resized to the model's resolution. */
  image: PngDataUrl,
  /** Set when the file is a PNG carrying this app's parameters. */
  parameters: ImageParameters.nullable(),
});
export type ImportedImage = z.infer<typeof ImportedImage>;

// ---------------------------------------------------------------------------------------
// Export

export const ExportFormat = z.enum(['png', 'jpeg', 'webp']);
export const ExportOptions = z.strictObject({
  /** PNG carries the image's parameters; JPEG and WebP carry none. */
  format: ExportFormat,
  scale: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]),
  /** `nearest` keeps every pixel exact; `smooth` interpolates. */
  resample: z.enum(['smooth', 'nearest']),
  /**
   * File name without extension. Placeholders: {prompt} {seed} {id} {date} {time} {index} {model}.
   * Characters not allowed in file names are replaced.
   */
  nameTemplate: z.string().min(1).max(200),
  /** JPEG/WebP quality, 1-100. */
  quality: z.number().int().min(1).max(100).default(92),
});
export type ExportOptions = z.input<typeof ExportOptions>;

/**
 * Electron: written through the native save/folder dialog (`saved`, or `cancelled`).
 * Bridge: the files come back to be offered as downloads. Nothing is ever overwritten
 * silently: folder exports pick a free name (`name (2).png`).
 */
export const ExportResult = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('saved'), paths: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('cancelled') }),
  z.strictObject({
    kind: z.literal('download'),
    files: z.array(z.strictObject({ fileName: z.string(), mimeType: z.string(), bytes: Bytes })),
  }),
]);
export type ExportResult = z.infer<typeof ExportResult>;

// ---------------------------------------------------------------------------------------
// Settings and library

export const Settings = z.strictObject({
  /** Folder of a model package; `null` is the embedded package. */
  modelPackage: z.string().nullable(),
  executionProvider: ProviderSetting,
  sampling: SamplingSettings,
  /** A locked seed is reused for every generation; otherwise each gets a random one. */
  seedMode: z.enum(['random', 'locked']),
  lockedSeed: Seed,
  export: ExportOptions.required(),
});
export type Settings = z.infer<typeof Settings>;

/** Any subset of the settings; `sampling` and `export` may be partial too. */
export const SettingsPatch = z.strictObject({
  modelPackage: Settings.shape.modelPackage.optional(),
  executionProvider: ProviderSetting.optional(),
  sampling: SamplingSettings.partial().optional(),
  seedMode: Settings.shape.seedMode.optional(),
  lockedSeed: Seed.optional(),
  export: ExportOptions.partial().optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const ModelInfo = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** Image side in pixels, and the token grid's side. */
  resolution: z.number().int().positive(),
  grid: z.number().int().positive(),
  defaults: SamplingSettings,
});
export type ModelInfo = z.infer<typeof ModelInfo>;

/** What is actually running, which may differ from what the settings ask for. */
export const RuntimeStatus = z.strictObject({
  model: ModelInfo.nullable(),
  /** Why the model could not be loaded, if it could not. */
  modelError: z.string().nullable(),
  activeProvider: z.string().nullable(),
  /** Every provider this ONNX Runtime build ships, and whether it really starts on this machine. */
  providers: z.array(ProviderCheck),
  /** Providers tried and given up: "webgpu did not start: <ONNX Runtime's reason>". */
  providerNotes: z.array(z.string()),
  dataDir: z.string(),
  /** Electron: a data folder chosen for the next launch, when it differs from `dataDir`. */
  nextDataDir: z.string().nullable(),
  /** "electron" has native dialogs, reveal and drag-out; "bridge" runs in a browser. */
  host: z.enum(['electron', 'bridge']),
});
export type RuntimeStatus = z.infer<typeof RuntimeStatus>;

export const SettingsState = z.strictObject({ settings: Settings, runtime: RuntimeStatus });
export type SettingsState = z.infer<typeof SettingsState>;

export const LibraryInfo = z.strictObject({
  dataDir: z.string(),
  images: z.number().int().nonnegative(),
  favourites: z.number().int().nonnegative(),
  trashed: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
  prompts: z.number().int().nonnegative(),
  /** Files found on disk without a row at the last start, now re-imported. */
  reimportedAtStart: z.number().int().nonnegative(),
});
export type LibraryInfo = z.infer<typeof LibraryInfo>;

// ---------------------------------------------------------------------------------------
// Models: the catalogue and Hugging Face downloads

/** `onnx-community/Janus-Pro-1B-ONNX`: the Hub's owner/name form. */
export const RepoId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/, 'a Hugging Face repository id is owner/name, e.g. onnx-community/Janus-Pro-1B-ONNX');
const Revision = z.string().trim().regex(/^[\w./-]{1,200}$/, 'a revision is a branch, tag or commit hash').default('main');
/** A graph precision by transformers.js's dtype name (fp32, fp16, q4, q4f16, q8, …). */
const Precision = z.string().regex(/^[a-z0-9]{2,8}$/, 'a precision is a dtype name such as fp32 or q4');

/** Where a model came from. */
export const ModelOrigin = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('embedded') }),
  z.strictObject({ kind: z.literal('folder') }),
  z.strictObject({ kind: z.literal('hub'), repo: RepoId, revision: z.string(), precision: Precision }),
]);
export type ModelOrigin = z.infer<typeof ModelOrigin>;

export const ModelEntry = z.strictObject({
  /** The model's folder: what `models.use` and `models.remove` take. */
  dir: z.string(),
  id: z.string(),
  name: z.string(),
  family: z.string(),
  /** Graph precisions the folder holds (the one in use is in the runtime status). */
  precisions: z.array(z.string()),
  sizeBytes: z.number().int().nonnegative(),
  /** From the model card or manifest; null when the folder states none. */
  licence: z.string().nullable(),
  origin: ModelOrigin,
  /** The open model is this one. */
  inUse: z.boolean(),
  /** Why it cannot be used, if it cannot. */
  error: z.string().nullable(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const DownloadRequest = z.strictObject({ repo: RepoId, revision: Revision, precision: Precision });
export type DownloadRequest = z.input<typeof DownloadRequest>;

/** What a precision of a repository costs to download, from the Hub's file listing. */
export const HubPrecision = z.strictObject({
  precision: Precision,
  files: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
});
export const HubListing = z.strictObject({
  repo: RepoId,
  revision: z.string(),
  /** Smallest download first. */
  precisions: z.array(HubPrecision),
});
export type HubListing = z.infer<typeof HubListing>;

export const DownloadId = Id;
export const DownloadStatus = z.strictObject({
  /** `owner--name`, the folder it lands in under `<data folder>/models/`. */
  id: DownloadId,
  repo: RepoId,
  revision: z.string(),
  precision: Precision,
  /** `failed` keeps what was fetched; resuming continues from there. */
  state: z.enum(['downloading', 'verifying', 'paused', 'failed']),
  bytesDone: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Over the last few seconds; null when not downloading. */
  bytesPerSecond: z.number().nonnegative().nullable(),
  etaMs: z.number().nonnegative().nullable(),
  /** Why it stopped, when it did not stop because it was asked to. */
  error: z.string().nullable(),
});
export type DownloadStatus = z.infer<typeof DownloadStatus>;

export const ModelsState = z.strictObject({
  /** Embedded first, then the user's. */
  models: z.array(ModelEntry),
  /** Unfinished downloads; a finished one is a model. */
  downloads: z.array(DownloadStatus),
});
export type ModelsState = z.infer<typeof ModelsState>;

const ModelDir = z.strictObject({ dir: z.string().trim().min(1, 'no folder given').max(4096) });
const OneDownload = z.strictObject({ id: DownloadId });

/** Electron reveals in the file manager; the bridge answers `revealed: false` with the path. */
const RevealResult = z.strictObject({ revealed: z.boolean(), path: z.string() });

// ---------------------------------------------------------------------------------------
// The contract

export const contract = {
  generation: {
    /**
     * Queues a run at the end of the queue (it starts at once when nothing is running) and
     * returns at once; progress and the result arrive as events, under the entry's id.
     */
    start: call(GenerationRequest, JobStarted),
    cancel: call(z.strictObject({ jobId: JobId }), z.strictObject({ cancelled: z.boolean() })),
    /** The latest run (running or over), null before the first; finished runs are already in the gallery. */
    current: call(noInput, RunSnapshot.nullable()),
    progress: event(GenerationProgress),
    finished: event(GenerationFinished),
  },
  edit: {
    /** Like `generation.start`, regenerating the masked cells; same events. */
    regenerate: call(EditRequest, JobStarted),
    maskCells: call(z.strictObject({ mask: Mask }), MaskCells),
    /** Like `generation.start`, growing the image on one side into a new, larger image linked to its source; same events. */
    extend: call(ExtendRequest, JobStarted),
  },
  queue: {
    list: call(noInput, QueueState),
    /** One generation is queued with `generation.start`; a batch of them with this. */
    addBatch: call(QueueBatch, QueueState),
    /** Queues four runs with a gallery image's prompt and settings and the next four seeds. */
    moreLikeThis: call(z.strictObject({ imageId: Id }), QueueState),
    /** Moves a waiting entry to `position` among the waiting ones (0 is next). */
    move: call(z.strictObject({ id: JobId, position: z.number().int().nonnegative() }), QueueState),
    /** Cancels a waiting entry, or stops the running one. */
    cancel: call(z.strictObject({ id: JobId }), QueueState),
    cancelAll: call(noInput, QueueState),
    changed: event(QueueState),
  },
  variations: {
    /** Like `generation.start`, keeping a share of the source's cells; same events. */
    make: call(VariationRequest, JobStarted),
  },
  gallery: {
    list: call(GalleryQuery, GalleryPage),
    /** An image out of the trash; an image in the trash is refused with how to get it back. */
    get: call(z.strictObject({ id: Id }), GalleryItem),
    /** The inspector's view of one image (in the trash too): run, timings, lineage. */
    details: call(z.strictObject({ id: Id }), ImageDetails),
    setFavourite: call(z.strictObject({ id: Id, favourite: z.boolean() }), GalleryItem),
    /** Moves images to the library's trash; `restore` undoes it. */
    trash: call(z.strictObject({ ids: Ids }), z.strictObject({ ids: z.array(Id) })),
    restore: call(z.strictObject({ ids: Ids }), z.strictObject({ ids: z.array(Id) })),
    reveal: call(z.strictObject({ id: Id }), RevealResult),
    /**
     * Copies the image with its parameters (the A1111 text) to the clipboard where main can
     * (Electron: `copied`); elsewhere the page copies it with the text given back.
     */
    copy: call(z.strictObject({ id: Id }), z.strictObject({ copied: z.boolean(), parametersText: z.string() })),
    /** Electron only: starts dragging the image file out to other apps. */
    startDrag: call(z.strictObject({ id: Id }), z.strictObject({ started: z.boolean() })),
    /** The models the images out of the trash were made by, most images first. */
    models: call(noInput, GalleryModels),
    changed: event(GalleryChanged),
  },
  boards: {
    list: call(noInput, BoardsState),
    create: call(z.strictObject({ name: BoardName }), BoardsState.extend({ created: Board })),
    rename: call(z.strictObject({ boardId: Id, name: BoardName }), BoardsState),
    /** Deletes the board, never its images; answers with the images it held, for Undo. */
    remove: call(z.strictObject({ boardId: Id }), BoardsState.extend({ imageIds: z.array(Id) })),
    /** Images already in the board stay as they are. */
    addImages: call(BoardImages, BoardsState),
    removeImages: call(BoardImages, BoardsState),
    /** Out of one board and into another, in one step. */
    moveImages: call(z.strictObject({ fromBoardId: Id, toBoardId: Id, ids: Ids }), BoardsState),
    changed: event(BoardsState),
  },
  prompts: {
    list: call(PromptQuery, z.strictObject({ items: z.array(PromptEntry) })),
    /** Generation records its prompt itself; this is for prompts used another way. */
    record: call(z.strictObject({ text: PromptText, settings: SamplingSettings }), PromptEntry),
    pin: call(z.strictObject({ id: z.number().int().positive(), pinned: z.boolean() }), PromptEntry),
    unknownWords: call(
      z.strictObject({ text: z.string().max(1000) }),
      z.strictObject({ words: z.array(UnknownWord) }),
    ),
    /** What the prompt box offers for the open model: see PromptAssist. */
    assist: call(noInput, PromptAssist),
  },
  files: {
    /** A dropped PNG/JPEG/WebP, made ready for the editor. */
    importImage: call(DroppedFile, ImportedImage),
    /** This app's parameters from a PNG's chunks, or null. */
    readParameters: call(DroppedFile, z.strictObject({ parameters: ImageParameters.nullable() })),
  },
  export: {
    image: call(z.strictObject({ id: Id, options: ExportOptions }), ExportResult),
    /** Several images into one folder. */
    images: call(z.strictObject({ ids: Ids, options: ExportOptions }), ExportResult),
    /** A board's images: Electron into a new folder named after it; the bridge as one zip download. */
    board: call(z.strictObject({ boardId: Id, options: ExportOptions }), ExportResult),
  },
  settings: {
    get: call(noInput, SettingsState),
    set: call(SettingsPatch, SettingsState),
    /** Electron: pick the data folder used from the next launch on (bridge: `--data-dir`). */
    chooseDataDir: call(noInput, SettingsState),
    changed: event(SettingsState),
  },
  models: {
    list: call(noInput, ModelsState),
    /** Adds a model folder the user has (listed where it is; never copied or changed). */
    addFolder: call(ModelDir, ModelsState),
    /** Electron: `addFolder` with the native folder dialog (bridge: type the path). */
    chooseFolder: call(noInput, ModelsState),
    /** Opens the model; a model that fails to open leaves the working one in use. */
    use: call(ModelDir, ModelsState),
    /** Deletes a downloaded model, unlists an added folder (its files stay); never the embedded or the open one. */
    remove: call(ModelDir, ModelsState),
    /** A repository's precisions and their download sizes, before downloading. */
    inspectRepo: call(z.strictObject({ repo: RepoId, revision: Revision }), HubListing),
    /** Starts downloading after checking the free disk space; progress arrives as events. */
    download: call(DownloadRequest, ModelsState),
    /** Stops, keeping what was fetched (also across restarts). */
    pause: call(OneDownload, ModelsState),
    /** Continues from the bytes already on disk (HTTP Range). */
    resume: call(OneDownload, ModelsState),
    /** Stops and deletes what was fetched. */
    cancel: call(OneDownload, ModelsState),
    downloadProgress: event(DownloadStatus),
    changed: event(ModelsState),
  },
  library: {
    info: call(noInput, LibraryInfo),
    reveal: call(noInput, RevealResult),
  },
} as const;

export type Contract = typeof contract;
export type Domain = keyof Contract;

// ---------------------------------------------------------------------------------------
// The API derived from the contract: calls become async functions, events `onX(listener)`.

export type Unsubscribe = () => void;

type CallArgs<I extends z.ZodType> = undefined extends z.input<I> ? [input?: z.input<I>] : [input: z.input<I>];

type EventMethodName<K> = K extends string ? `on${Capitalize<K>}` : never;

export type DomainApi<D> = {
  [K in keyof D as D[K] extends EventDef ? EventMethodName<K> : K]: D[K] extends CallDef<infer I, infer O>
    ? (...args: CallArgs<I>) => Promise<z.output<O>>
    : D[K] extends EventDef<infer P>
      ? (listener: (payload: z.output<P>) => void) => Unsubscribe
      : never;
};

/** What `window.parti` is in Electron, and what the bridge client returns. */
export type PartiApi = { readonly [D in Domain]: DomainApi<Contract[D]> };

export type CallInput<D extends Domain, M extends keyof Contract[D]> =
  Contract[D][M] extends CallDef<infer I> ? z.output<I> : never;
export type CallOutput<D extends Domain, M extends keyof Contract[D]> =
  Contract[D][M] extends CallDef<z.ZodType, infer O> ? z.output<O> : never;
export type EventPayload<D extends Domain, M extends keyof Contract[D]> =
  Contract[D][M] extends EventDef<infer P> ? z.output<P> : never;

/** Every call and event by its wire name, `domain.name`. */
export interface Entry<Def> {
  readonly domain: Domain;
  readonly name: string;
  /** `domain.name`: the IPC channel suffix and the bridge message name. */
  readonly wireName: string;
  readonly def: Def;
}

function entriesOf<K extends 'call' | 'event'>(kind: K): Entry<K extends 'call' ? CallDef : EventDef>[] {
  return Object.entries(contract).flatMap(([domain, defs]) =>
    Object.entries(defs as Record<string, CallDef | EventDef>)
      .filter(([, def]) => def.kind === kind)
      .map(([name, def]) => ({
        domain: domain as Domain,
        name,
        wireName: `${domain}.${name}`,
        def: def as K extends 'call' ? CallDef : EventDef,
      })),
  );
}

export const calls: readonly Entry<CallDef>[] = entriesOf('call');
export const events: readonly Entry<EventDef>[] = entriesOf('event');

/** `onProgress` for the event `progress`. */
export const eventMethodName = (name: string): string => `on${name[0]!.toUpperCase()}${name.slice(1)}`;

/** Electron IPC channels. */
export const callChannel = (wireName: string): string => `parti:call:${wireName}`;
export const eventChannel = (wireName: string): string => `parti:event:${wireName}`;

/**
 * Results cross Electron IPC as this envelope, because Electron rewrites the messages of
 * errors thrown in `ipcMain.handle` ("Error invoking remote method ..."). The preload and
 * the bridge client turn `ok: false` back into a thrown `Error` with the message as sent.
 */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: string };
