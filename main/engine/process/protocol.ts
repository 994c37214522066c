/**
 * The messages between the studio and its engine process, checked with zod on arrival on
 * both sides. Messages travel by structured clone (Node's `advanced` IPC serialization,
 * Electron's utility-process port), so images and token grids arrive as typed arrays.
 * One job runs in the engine process at a time; its progress and outcome carry its id.
 */
import { z } from 'zod';
import { ExtendAmount } from '../../common/extension.js';
import { ProviderSetting } from '../../common/providers.js';
import { SamplingSettings, Seed } from '../../common/sampling.js';
import { VariationParameters } from '../../common/variation.js';
import { ENGINE_ERROR_CODES } from '../errors.js';
import {
  GENERATION_PHASES,
  type EditRequest,
  type EditResult,
  type ExtendRequest,
  type ExtendResult,
  type GenerateRequest,
  type GenerateResult,
  type PackageInfo,
  type ProgressEvent,
  type ProvidersReport,
  type RgbaImage,
  type VariationRequest,
  type VariationResult,
} from '../types.js';

function isRgbaImage(value: unknown): value is RgbaImage {
  if (typeof value !== 'object' || value === null) return false;
  const { width, height, data } = value as Partial<RgbaImage>;
  return Number.isInteger(width) && Number.isInteger(height) && data instanceof Uint8ClampedArray && data.length === width! * height! * 4;
}

const Rgba = z.custom<RgbaImage>(isRgbaImage, 'expected an RGBA image (width × height × 4 bytes)');
const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');
const ImageSource = z.union([z.string(), Bytes, Rgba]);
const JobId = z.number().int().nonnegative();
const PlainObject = <T>(message: string) => z.custom<T>((value) => typeof value === 'object' && value !== null, message);

/** What the studio passes when it opens a model in the engine process. */
export const OpenOptions = z.strictObject({
  packageDir: z.string().optional(),
  embeddedModelsDir: z.string().optional(),
  provider: ProviderSetting.optional(),
});
export type OpenOptions = z.infer<typeof OpenOptions>;

const GenerateRequestMessage = z.strictObject({
  prompt: z.string(),
  negativePrompt: z.string().optional(),
  seed: Seed.optional(),
  settings: SamplingSettings.partial().optional(),
}) satisfies z.ZodType<GenerateRequest>;

const EditRequestMessage = GenerateRequestMessage.extend({
  image: ImageSource,
  mask: ImageSource,
  sourceId: z.string().optional(),
}) satisfies z.ZodType<EditRequest>;

const ExtendRequestMessage = GenerateRequestMessage.extend({
  image: ImageSource,
  ...ExtendAmount.shape,
  sourceId: z.string().optional(),
}) satisfies z.ZodType<ExtendRequest>;
const VariationRequestMessage = GenerateRequestMessage.extend({
  ...VariationParameters.shape,
  image: ImageSource,
  sourceId: z.string().optional(),
}) satisfies z.ZodType<VariationRequest>;

export const ToEngine = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('open'), options: OpenOptions }),
  z.strictObject({ type: z.literal('generate'), id: JobId, request: GenerateRequestMessage }),
  z.strictObject({ type: z.literal('edit'), id: JobId, request: EditRequestMessage }),
  z.strictObject({ type: z.literal('extend'), id: JobId, request: ExtendRequestMessage }),
  z.strictObject({ type: z.literal('vary'), id: JobId, request: VariationRequestMessage }),
  z.strictObject({ type: z.literal('cancel'), id: JobId }),
  z.strictObject({ type: z.literal('unknownWords'), id: JobId, prompt: z.string() }),
]);
export type ToEngine = z.infer<typeof ToEngine>;

/** An error as it crosses the boundary: the EngineError code, or null for an unexpected one. */
export const Failure = z.strictObject({ code: z.enum(ENGINE_ERROR_CODES).nullable(), message: z.string() });
export type Failure = z.infer<typeof Failure>;

const Progress = z.object({
  phase: z.enum(GENERATION_PHASES),
  tokensDone: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  previews: z.array(Rgba).optional(),
}) satisfies z.ZodType<ProgressEvent>;

/** A result is checked where the studio uses its bytes (images, token grids); the rest is the engine's own record. */
const ResultBytes = z.looseObject({
  kind: z.enum(['generate', 'edit', 'extend', 'variation']),
  candidates: z.array(z.looseObject({ index: z.number().int(), tokens: z.custom<Int32Array>((value) => value instanceof Int32Array), image: Rgba, score: z.number() })),
  composites: z.array(Rgba).optional(),
  canvasTokens: z.array(z.custom<Int32Array>((value) => value instanceof Int32Array)).optional(),
});
const Result = z.custom<GenerateResult | EditResult | ExtendResult | VariationResult>((value) => ResultBytes.safeParse(value).success, 'expected a result whose candidates carry RGBA images and Int32Array token grids');

export const FromEngine = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('opened'),
    info: PlainObject<PackageInfo>('expected the package information'),
    providers: PlainObject<ProvidersReport>('expected the providers report'),
    vocabulary: z.array(z.string()),
  }),
  z.strictObject({ type: z.literal('openFailed'), error: Failure }),
  z.strictObject({ type: z.literal('warning'), message: z.string() }),
  z.strictObject({ type: z.literal('progress'), id: JobId, event: Progress }),
  z.strictObject({ type: z.literal('result'), id: JobId, result: Result }),
  z.strictObject({ type: z.literal('words'), id: JobId, words: z.array(z.string()) }),
  z.strictObject({ type: z.literal('failed'), id: JobId, error: Failure }),
]);
export type FromEngine = z.infer<typeof FromEngine>;

/** A zod failure in one line: where and what. */
export function describeInvalid(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message';
}
