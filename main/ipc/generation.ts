/** Generation: start a run, cancel it, reattach to the latest one. */
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function generationHandlers({ jobs, library }: Services): DomainHandlers<'generation'> {
  return {
    start(request) {
      library.prompts.record(request.prompt, request.settings);
      const run = { kind: 'generate' as const, prompt: request.prompt, seed: request.seed, candidateCount: request.settings.candidates };
      return jobs.start(run, (engine, seed, options) =>
        engine.generate({ prompt: request.prompt, ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}), seed, settings: request.settings }, options),
      );
    },
    cancel: ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    current: () => jobs.current(),
  };
}
