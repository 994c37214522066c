/** Variations: keep a share of a gallery (or dropped) image's cells and resample the rest. */
import type { DomainHandlers } from './dispatch';
import { sourceImage } from './edit';
import type { Services } from '../studio/services';

export function variationsHandlers(services: Services): DomainHandlers<'variations'> {
  const { jobs, library } = services;
  return {
    make(request) {
      const image = sourceImage(services, request.source);
      const sourceId = request.source.kind === 'image' ? request.source.id : null;
      library.prompts.record(request.prompt, request.settings);
      const run = { kind: 'variation' as const, prompt: request.prompt, seed: request.seed, candidateCount: request.settings.candidates };
      return jobs.start(run, (engine, seed, options) =>
        engine.vary(
          {
            prompt: request.prompt,
            ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
            seed,
            settings: request.settings,
            image,
            strength: request.strength,
            keep: request.keep,
            ...(sourceId === null ? {} : { sourceId }),
          },
          options,
        ),
      );
    },
  };
}
