/** Editing: regenerating the masked cells of a gallery image or a dropped one, or growing its canvas. */
import type { EditSource } from '../common/contract';
import { maskToCells, type ImageSource } from '../engine/index';
import type { DomainHandlers } from './dispatch';
import { notFound, UserError } from '../studio/errors';
import { maskToRgba } from '../studio/images';
import type { Services } from '../studio/services';

function sourceImage({ library, imports }: Services, source: EditSource): ImageSource {
  if (source.kind === 'import') return imports.get(source.id);
  const image = library.images.get(source.id);
  if (!image) throw notFound('image', source.id);
  const bytes = library.images.readFile(source.id);
  if (!bytes) throw new UserError('The image file is missing from the library folder, so it cannot be edited.');
  return bytes;
}

export function editHandlers(services: Services): DomainHandlers<'edit'> {
  const { jobs, library, runtime } = services;
  return {
    regenerate(request) {
      const image = sourceImage(services, request.source);
      const sourceId = request.source.kind === 'image' ? request.source.id : null;
      library.prompts.record(request.prompt, request.settings);
      const run = { kind: 'edit' as const, prompt: request.prompt, seed: request.seed, candidateCount: request.settings.candidates };
      return jobs.start(run, (engine, seed, options) =>
        engine.edit(
          {
            prompt: request.prompt,
            ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
            seed,
            settings: request.settings,
            image,
            mask: maskToRgba(request.mask),
            ...(sourceId === null ? {} : { sourceId }),
          },
          options,
        ),
      );
    },
    extend(request) {
      const image = sourceImage(services, request.source);
      library.prompts.record(request.prompt, request.settings);
      const run = { kind: 'extend' as const, prompt: request.prompt, seed: request.seed, candidateCount: request.settings.candidates };
      const { side, by, prompt, negativePrompt, settings } = request;
      return jobs.start(run, (engine, seed, options) =>
        engine.extend({ prompt, ...(negativePrompt ? { negativePrompt } : {}), seed, settings, image, side, by, ...(request.source.kind === 'image' ? { sourceId: request.source.id } : {}) }, options),
      );
    },
    async maskCells({ mask }) {
      const { grid } = (await runtime.current()).package;
      const cells = maskToCells(maskToRgba(mask), grid).flatMap((masked, cell) => (masked ? [cell] : []));
      return { grid, cells };
    },
  };
}
