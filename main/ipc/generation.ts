/** Generation: queue a run, cancel it, reattach to the latest one. */
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function generationHandlers({ jobs, queue }: Services): DomainHandlers<'generation'> {
  return {
    async start(request) {
      const entry = await queue.add(request);
      return { jobId: entry.id, seed: entry.request.seed };
    },
    cancel: ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    current: () => jobs.current(),
  };
}
