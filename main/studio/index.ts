/**
 * The studio: the application behind the contract, for any host. The Electron app and the
 * loopback bridge both create one and route calls into `dispatch`, which validates each
 * payload and hands it to the thin handlers in `main/ipc/`.
 */
import path from 'node:path';
import { createDispatcher, createEmitter, type Dispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/index';
import type { EngineLauncher } from '../engine/process/engine-process';
import { forkEngineLauncher } from '../engine/process/fork';
import { Library } from '../library/index';
import type { Host } from './host';
import { ImportStore, parametersIn } from './imports';
import { DownloadService, hubOptionsFromEnv, type HubOptions } from './downloads';
import { JobStore } from './jobs';
import { ModelCatalogue } from './models';
import { QueueService } from './queue';
import { Runtime } from './runtime';
import { BoardService } from './boards';
import type { Services } from './services';
import { SettingsService } from './settings';

export type { Host, Caller } from './host';
export type { Dispatch } from '../ipc/dispatch';
export { asDownloads, asZipDownload, writeBoardFolder, writeExportsToFolder, EXPORT_FORMATS, type ExportFile } from './export';

export interface StudioOptions {
  dataDir: string;
  host: Host;
  /** Delivers a validated event to every renderer. */
  send: (wireName: string, payload: unknown) => void;
  /** Folder of embedded model packages; the engine's default (the repository's) when left out. */
  embeddedModelsDir?: string;
  /** Starts the engine's own process; a Node fork when left out (Electron passes a utility process). */
  launchEngine?: EngineLauncher;
  /** See LibraryOptions.sqliteBinding. */
  sqliteBinding?: string;
  log?: (message: string) => void;
  /** The Hugging Face Hub (or mirror) models are downloaded from; HF_ENDPOINT and HF_TOKEN when left out. */
  hub?: HubOptions;
}

export interface Studio {
  dispatch: Dispatch;
  /** The absolute path of a gallery image's file, for the image protocol; never outside the library. */
  imageFile(id: string): string | undefined;
  /** Once the model named in the settings is open, or has failed to open: which it is. */
  ready: Promise<Awaited<ReturnType<Runtime['status']>>>;
  close(): Promise<void>;
}

export function createStudio(options: StudioOptions): Studio {
  const log = options.log ?? ((message: string) => console.error(message));
  const library = Library.open({ dataDir: options.dataDir, readParameters: parametersIn, ...(options.sqliteBinding ? { sqliteBinding: options.sqliteBinding } : {}) });
  const runtime = new Runtime({
    launchEngine: options.launchEngine ?? forkEngineLauncher(),
    ...(options.embeddedModelsDir ? { embeddedModelsDir: options.embeddedModelsDir } : {}),
    onWarning: log,
  });
  const shared = { library, runtime, host: options.host, emit: createEmitter(options.send, log) };
  const settings = new SettingsService(shared);
  const modelsDir = path.join(library.paths.root, 'models');
  const downloads = new DownloadService({
    store: library.settings,
    modelsDir,
    stagingDir: path.join(library.paths.root, 'downloads'),
    hub: options.hub ?? hubOptionsFromEnv(),
    onProgress: (status) => shared.emit('models', 'downloadProgress', status),
    onChanged: () => void models.changed().catch((error: unknown) => log(`models.changed not sent: ${String(error)}`)),
  });
  const models: ModelCatalogue = new ModelCatalogue({
    ...shared,
    settings,
    downloads,
    modelsDir,
    ...(options.embeddedModelsDir ? { embeddedModelsDir: options.embeddedModelsDir } : {}),
  });
  const jobs = new JobStore(shared);
  const queue = new QueueService({ ...shared, jobs });
  const services: Services = { ...shared, settings, jobs, queue, imports: new ImportStore(), models, downloads, boards: new BoardService(library, shared.emit) };
  return {
    dispatch: createDispatcher(createHandlers(services), log, (error) => library.storageError(error, 'Nothing was changed.')),
    imageFile: (id) => library.images.filePath(id),
    ready: settings.start().then(() => runtime.status()),
    async close() {
      queue.close();
      await downloads.close();
      await runtime.close();
      library.close();
    },
  };
}
