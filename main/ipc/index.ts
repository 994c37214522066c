/** The contract's handlers, one domain a file, each a thin call into the studio's services. */
import type { Services } from '../studio/services';
import type { Handlers } from './dispatch';
import { boardsHandlers } from './boards';
import { editHandlers } from './edit';
import { exportHandlers } from './export';
import { filesHandlers } from './files';
import { galleryHandlers } from './gallery';
import { generationHandlers } from './generation';
import { libraryHandlers } from './library';
import { modelsHandlers } from './models';
import { promptsHandlers } from './prompts';
import { queueHandlers } from './queue';
import { settingsHandlers } from './settings';
import { variationsHandlers } from './variations';

export function createHandlers(services: Services): Handlers {
  return {
    generation: generationHandlers(services),
    edit: editHandlers(services),
    queue: queueHandlers(services),
    variations: variationsHandlers(services),
    gallery: galleryHandlers(services),
    boards: boardsHandlers(services),
    prompts: promptsHandlers(services),
    files: filesHandlers(services),
    export: exportHandlers(services),
    settings: settingsHandlers(services),
    models: modelsHandlers(services),
    library: libraryHandlers(services),
  };
}
