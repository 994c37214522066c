import type { Board, BoardsState } from '../api';
import { plural } from '../lib/format';
import type { SliceCreator } from './slice';

export interface BoardsSlice {
  /** Every board, by name. */
  boards: Board[];
  load(): Promise<void>;
  /** Main's answer or event: the boards as they are now; a board shown in the gallery that is gone stops filtering it. */
  applyState(state: BoardsState): void;
  /** The board made; a refused name is reported and undefined returned, so the name field keeps it for fixing. */
  create(name: string): Promise<Board | undefined>;
  rename(board: Board, name: string): Promise<boolean>;
  /** Deletes the board (never its images) and offers Undo. */
  remove(board: Board): Promise<void>;
  addImages(board: Board, ids: string[]): Promise<void>;
  /** Out of the board the gallery shows and into `to`, with Undo. */
  moveImages(to: Board, ids: string[]): Promise<void>;
  /** Out of the board the gallery shows (the images stay in the library), with Undo. */
  removeImages(ids: string[]): Promise<void>;
  /** The board the gallery shows, if it shows one. */
  current(): Board | undefined;
}

export const createBoardsSlice: SliceCreator<'boards'> = ({ set, own, get, deps }) => {
  const { api } = deps;
  /** Runs a change, showing its outcome; false when main refused it (already reported). */
  const change = async (doing: string, run: () => Promise<BoardsState>): Promise<boolean> => {
    try {
      own().applyState(await run());
      return true;
    } catch (error) {
      get().workspace.reportError(doing, error);
      return false;
    }
  };

  return {
    boards: [],
    load: async () => {
      try {
        own().applyState(await api.boards.list());
      } catch (error) {
        get().workspace.reportError('Could not load the boards', error);
      }
    },
    applyState: ({ boards }) => {
      set({ boards });
      const gallery = get().gallery;
      if (gallery.boardId !== null && !boards.some((board) => board.id === gallery.boardId)) void gallery.showBoard(null);
      else if (gallery.boardId !== null) void gallery.refresh(); // its images may have changed
    },
    create: async (name) => {
      let created: Board | undefined;
      await change('Could not make the board', async () => {
        const answer = await api.boards.create({ name });
        created = answer.created;
        return answer;
      });
      return created;
    },
    rename: async (board, name) => change('Could not rename the board', () => api.boards.rename({ boardId: board.id, name })),
    remove: async (board) => {
      try {
        const { imageIds, ...state } = await api.boards.remove({ boardId: board.id });
        own().applyState(state);
        get().workspace.notify('info', `Deleted the board "${board.name}"; its images stay in the gallery.`, {
          label: 'Undo',
          run: async () => {
            const restored = await own().create(board.name);
            if (restored && imageIds.length > 0) {
              await change('Could not put its images back', () => api.boards.addImages({ boardId: restored.id, ids: imageIds }));
            }
          },
        });
      } catch (error) {
        get().workspace.reportError('Could not delete the board', error);
      }
    },
    addImages: async (board, ids) => {
      if (ids.length === 0) return;
      if (await change('Could not add to the board', () => api.boards.addImages({ boardId: board.id, ids }))) {
        get().workspace.notify('success', `Added ${plural(ids.length, 'image')} to "${board.name}".`);
      }
    },
    moveImages: async (to, ids) => {
      const from = own().current();
      if (!from || ids.length === 0) return;
      const moved = await change('Could not move to the board', () => api.boards.moveImages({ fromBoardId: from.id, toBoardId: to.id, ids }));
      if (!moved) return;
      get().workspace.notify('success', `Moved ${plural(ids.length, 'image')} from "${from.name}" to "${to.name}".`, {
        label: 'Undo',
        run: () => void change('Could not move them back', () => api.boards.moveImages({ fromBoardId: to.id, toBoardId: from.id, ids })),
      });
    },
    removeImages: async (ids) => {
      const from = own().current();
      if (!from || ids.length === 0) return;
      if (!(await change('Could not remove from the board', () => api.boards.removeImages({ boardId: from.id, ids })))) return;
      get().workspace.notify('info', `Removed ${plural(ids.length, 'image')} from "${from.name}"; they stay in the gallery.`, {
        label: 'Undo',
        run: () => void change('Could not put them back', () => api.boards.addImages({ boardId: from.id, ids })),
      });
    },
    current: () => {
      const { boardId } = get().gallery;
      return boardId === null ? undefined : own().boards.find((board) => board.id === boardId);
    },
  };
};
