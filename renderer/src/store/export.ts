import type { Board, ExportOptions } from '../api';
import type { SliceCreator, StudioState } from './slice';

export interface ExportSlice {
  /** The images the open export dialog is for; null when it is closed or for a board. */
  dialogIds: string[] | null;
  /** The board the open export dialog is for: all its images, as a folder (Electron) or one zip (browser). */
  dialogBoard: Board | null;
  running: boolean;
  openDialog(ids: string[]): void;
  openBoardDialog(board: Board): void;
  closeDialog(): void;
  /** Exports, remembers the options as the next defaults, and closes the dialog. */
  run(options: Required<ExportOptions>): Promise<void>;
}

export const createExportSlice: SliceCreator<'exporting'> = ({ set, own, get, deps }) => ({
  dialogIds: null,
  dialogBoard: null,
  running: false,
  openDialog: (ids) => {
    if (ids.length === 0) {
      get().workspace.notify('info', 'Select the images to export first.');
      return;
    }
    set({ dialogIds: ids, dialogBoard: null });
  },
  openBoardDialog: (board) => {
    if (board.images === 0) {
      get().workspace.notify('info', `The board "${board.name}" is empty: add images to it first.`);
      return;
    }
    set({ dialogBoard: board, dialogIds: null });
  },
  closeDialog: () => set({ dialogIds: null, dialogBoard: null }),
  run: async (options) => {
    const { dialogIds: ids, dialogBoard: board } = own();
    if ((!ids && !board) || own().running) return;
    set({ running: true });
    const workspace = get().workspace;
    try {
      const [onlyId] = ids ?? [];
      const result = board
        ? await deps.api.export.board({ boardId: board.id, options })
        : ids!.length === 1 && onlyId !== undefined
          ? await deps.api.export.image({ id: onlyId, options })
          : await deps.api.export.images({ ids: ids!, options });
      switch (result.kind) {
        case 'saved':
          workspace.notify('success', result.paths.length === 1 ? `Exported to ${result.paths[0]}` : `Exported ${result.paths.length} images.`);
          break;
        case 'download':
          for (const file of result.files) deps.platform.download(file); // a board's images come as one zip
          workspace.notify('success', result.files.length === 1 ? `Downloading ${result.files[0]!.fileName}` : `Downloading ${result.files.length} images.`);
          break;
        case 'cancelled':
          return; // the dialog stays open: the user may pick another folder
      }
      set({ dialogIds: null, dialogBoard: null });
      void get().settings.update({ export: options });
    } catch (error) {
      workspace.reportError('Could not export', error);
    } finally {
      set({ running: false });
    }
  },
});

/** Whether the export dialog is open, for images or a board. */
export const exportDialogOpen = (state: StudioState): boolean => state.exporting.dialogIds !== null || state.exporting.dialogBoard !== null;
