/** Editing: regenerating the masked cells of a gallery image or a dropped one. */
import type { EditSource } from '../common/contract';
import { maskToCells, type ImageSource } from '../engine/index';
import type { DomainHandlers } from './dispatch';
import { notFound, UserError } from '../studio/errors';
import { maskToRgba } from '../studio/images';
import type { Services } from '../studio/services';

/** The image an edit or a variation starts from: a gallery image's file, or a dropped image. */
export function sourceImage({ library, imports }: Services, source: EditSource): ImageSource {
  if (source.kind === 'import') return imports.get(source.id);
  const image = library.images.get(source.id);
  if (!image) throw notFound('image', source.id);
  const bytes = library.images.readFile(source.id);
  if (!bytes) throw new UserError('The image file is missing from the library folder, so nothing can be made from it.');
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
    async maskCells({ mask }) {
      const { grid } = (await runtime.current()).package;
      const cells = maskToCells(maskToRgba(mask), grid).flatMap((masked, cell) => (masked ? [cell] : []));
      return { grid, cells };
    },
  };
}
