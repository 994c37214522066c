/** Editing: regenerating the masked cells of a gallery image or a dropped one, or growing its canvas; and the start of every run from a source image. */
import type { EditRequest, EditSource, JobStarted } from '../common/contract';
import type { SamplingSettings } from '../common/sampling';
import { maskToCells, type ImageSource, type RunOptions } from '../engine/index';
import type { EngineProcess } from '../engine/process/engine-process';
import type { RunJob } from '../studio/jobs';
import type { DomainHandlers } from './dispatch';
import { notFound, UserError } from '../studio/errors';
import { maskToRgba } from '../studio/images';
import type { Services } from '../studio/services';

/** The image an edit or a variation starts from: a gallery image's file, or a dropped image. */
function sourceImage({ library, imports }: Services, source: EditSource): ImageSource {
  if (source.kind === 'import') return imports.get(source.id);
  const image = library.images.get(source.id);
  if (!image) throw notFound('image', source.id);
  const bytes = library.images.readFile(source.id);
  if (!bytes) throw new UserError('The image file is missing from the library folder, so nothing can be made from it.');
  return bytes;
}

/** What every run from a source image asks: its source, prompt, settings and seed. */
type SourceRunRequest = Pick<EditRequest, 'source' | 'prompt' | 'negativePrompt' | 'settings' | 'seed'>;

/** The engine request's common part: the prompt and settings as asked, the seed drawn, the image and its library id. */
export interface SourceRunBase {
  prompt: string;
  negativePrompt?: string;
  seed: number;
  settings: SamplingSettings;
  image: ImageSource;
  sourceId?: string;
}

/** Starts a job on a source image (edits, variations, extensions): records the prompt, reads the image, and hands `run` the common request. */
export function startFromSource(
  services: Services,
  kind: 'edit' | 'variation' | 'extend',
  request: SourceRunRequest,
  run: (engine: EngineProcess, base: SourceRunBase, options: RunOptions) => ReturnType<RunJob>,
): Promise<JobStarted> {
  const image = sourceImage(services, request.source);
  services.library.prompts.record(request.prompt, request.settings);
  const job = { kind, prompt: request.prompt, seed: request.seed, candidateCount: request.settings.candidates };
  return services.jobs.start(job, (engine, seed, options) =>
    run(
      engine,
      {
        prompt: request.prompt,
        ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
        seed,
        settings: request.settings,
        image,
        ...(request.source.kind === 'image' ? { sourceId: request.source.id } : {}),
      },
      options,
    ),
  );
}

export function editHandlers(services: Services): DomainHandlers<'edit'> {
  const { runtime } = services;
  return {
    regenerate: (request) => startFromSource(services, 'edit', request, (engine, base, options) => engine.edit({ ...base, mask: maskToRgba(request.mask) }, options)),
    extend: (request) => startFromSource(services, 'extend', request, (engine, base, options) => engine.extend({ ...base, side: request.side, by: request.by }, options)),
    async maskCells({ mask }) {
      const { grid } = (await runtime.current()).package;
      const cells = maskToCells(maskToRgba(mask), grid).flatMap((masked, cell) => (masked ? [cell] : []));
      return { grid, cells };
    },
  };
}
