/** The library folder itself: counts for the settings view, and reveal in the file manager. */
import type { DomainHandlers } from './dispatch';
import type { Services } from '../studio/services';

export function libraryHandlers({ library, host }: Services): DomainHandlers<'library'> {
  return {
    info: () => ({
      dataDir: library.paths.root,
      ...library.images.counts(),
      prompts: library.prompts.count(),
      reimportedAtStart: library.startReport.reimported,
    }),
    async reveal() {
      return { revealed: await host.reveal(library.paths.root), path: library.paths.root };
    },
  };
}
