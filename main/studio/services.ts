/** Everything the domain handlers share, created once per app (Electron) or bridge. */
import type { Library } from '../library/index';
import type { BoardService } from './boards';
import type { Emit, Host } from './host';
import type { ImportStore } from './imports';
import type { JobStore } from './jobs';
import type { DownloadService } from './downloads';
import type { ModelCatalogue } from './models';
import type { QueueService } from './queue';
import type { Runtime } from './runtime';
import type { SettingsService } from './settings';

export interface Services {
  library: Library;
  runtime: Runtime;
  host: Host;
  emit: Emit;
  settings: SettingsService;
  jobs: JobStore;
  queue: QueueService;
  imports: ImportStore;
  models: ModelCatalogue;
  downloads: DownloadService;
  boards: BoardService;
}
