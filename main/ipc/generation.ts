/** Generation: start a run, cancel it, keep or discard its candidates. */
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function generationHandlers({ jobs, library }: Services): DomainHandlers<'generation'> {
  return {
    start(request) {
      library.prompts.record(request.prompt, request.settings);
      return jobs.start(request.seed, (engine, seed, options) =>
        engine.generate({ prompt: request.prompt, ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}), seed, settings: request.settings }, options),
      );
    },
    cancel: ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    keep: ({ jobId, indices }) => ({ items: jobs.keep(jobId, indices) }),
    discard({ jobId }) {
      jobs.discard(jobId);
      return { ok: true as const };
    },
  };
}
