/** Settings: read and change them; the data folder picker where the host has one. */
import { UserError } from '../studio/errors';
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function settingsHandlers({ settings, host }: Services): DomainHandlers<'settings'> {
  return {
    get: () => settings.state(),
    set: (patch) => settings.update(patch),
    async chooseDataDir() {
      if (!host.nextDataDir) throw new UserError('Here the data folder is set when starting: npm run serve -- --data-dir DIR');
      const folder = await host.chooseFolder('Choose the data folder (used from the next launch on)');
      if (folder !== null) host.nextDataDir.set(folder);
      return settings.state();
    },
  };
}
