import type { ExportOptions } from '../api';
import type { SliceCreator } from './slice';

export interface ExportSlice {
  /** The images the open export dialog is for; null when it is closed. */
  dialogIds: string[] | null;
  running: boolean;
  openDialog(ids: string[]): void;
  closeDialog(): void;
  /** Exports, remembers the options as the next defaults, and closes the dialog. */
  run(options: Required<ExportOptions>): Promise<void>;
}

export const createExportSlice: SliceCreator<'exporting'> = ({ set, own, get, deps }) => ({
  dialogIds: null,
  running: false,
  openDialog: (ids) => {
    if (ids.length === 0) {
      get().workspace.notify('info', 'Select the images to export first.');
      return;
    }
    set({ dialogIds: ids });
  },
  closeDialog: () => set({ dialogIds: null }),
  run: async (options) => {
    const ids = own().dialogIds;
    if (!ids || own().running) return;
    set({ running: true });
    const workspace = get().workspace;
    try {
      const [onlyId] = ids;
      const result =
        ids.length === 1 && onlyId !== undefined
          ? await deps.api.export.image({ id: onlyId, options })
          : await deps.api.export.images({ ids, options });
      switch (result.kind) {
        case 'saved':
          workspace.notify('success', result.paths.length === 1 ? `Exported to ${result.paths[0]}` : `Exported ${result.paths.length} images.`);
          break;
        case 'download':
          for (const file of result.files) deps.platform.download(file);
          workspace.notify('success', result.files.length === 1 ? `Downloading ${result.files[0]!.fileName}` : `Downloading ${result.files.length} images.`);
          break;
        case 'cancelled':
          return; // the dialog stays open: the user may pick another folder
      }
      set({ dialogIds: null });
      void get().settings.update({ export: options });
    } catch (error) {
      workspace.reportError('Could not export', error);
    } finally {
      set({ running: false });
    }
  },
});
