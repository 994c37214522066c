/** Models: the catalogue (list, add a folder, use, remove) and Hugging Face downloads. */
import { UserError } from '../studio/errors';
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function modelsHandlers({ models, downloads, host }: Services): DomainHandlers<'models'> {
  return {
    list: () => models.state(),
    addFolder: ({ dir }) => models.addFolder(dir),
    async chooseFolder() {
      if (host.kind !== 'electron') throw new UserError('Type the model folder’s path here; this browser window cannot open a folder dialog.');
      const folder = await host.chooseFolder('Choose a model folder');
      return folder === null ? models.state() : models.addFolder(folder);
    },
    use: ({ dir }) => models.use(dir),
    remove: ({ dir }) => models.remove(dir),
    inspectRepo: ({ repo, revision }) => downloads.inspect(repo, revision),
    async download(request) {
      await downloads.start(request);
      return models.state();
    },
    async pause({ id }) {
      await downloads.pause(id);
      return models.changed();
    },
    async resume({ id }) {
      await downloads.resume(id);
      return models.state();
    },
    async cancel({ id }) {
      await downloads.cancel(id);
      return models.state();
    },
  };
}
