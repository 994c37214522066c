/**
 * Boards as the contract offers them: names and ids checked with a message that says what
 * was wrong, then the library's boards changed and every window told.
 */
import type { Board, BoardsState } from '../common/contract';
import type { Library } from '../library/index';
import { notFound, UserError } from './errors';
import type { Emit } from './host';

export class BoardService {
  constructor(
    private readonly library: Library,
    private readonly emit: Emit,
  ) {}

  state(): BoardsState {
    return { boards: this.library.boards.list() };
  }

  /** The board, or a message naming the id that is not one. */
  board(id: string): Board {
    const board = this.library.boards.get(id);
    if (!board) throw notFound('board', id);
    return board;
  }

  create(name: string): BoardsState & { created: Board } {
    this.refuseTakenName(name);
    const created = this.library.boards.create(name);
    return { ...this.changed(), created };
  }

  rename(boardId: string, name: string): BoardsState {
    this.board(boardId);
    this.refuseTakenName(name, boardId);
    this.library.boards.rename(boardId, name);
    return this.changed();
  }

  remove(boardId: string): BoardsState & { imageIds: string[] } {
    this.board(boardId);
    const imageIds = this.library.boards.remove(boardId);
    return { ...this.changed(), imageIds };
  }

  addImages(boardId: string, ids: readonly string[]): BoardsState {
    this.board(boardId);
    this.refuseUnknownImages(ids);
    this.library.boards.addImages(boardId, ids);
    return this.changed();
  }

  removeImages(boardId: string, ids: readonly string[]): BoardsState {
    this.board(boardId);
    this.refuseUnknownImages(ids);
    this.library.boards.removeImages(boardId, ids);
    return this.changed();
  }

  moveImages(fromBoardId: string, toBoardId: string, ids: readonly string[]): BoardsState {
    this.board(fromBoardId);
    this.board(toBoardId);
    if (fromBoardId === toBoardId) throw new UserError('Those images are already in that board: pick another board to move them to.');
    this.refuseUnknownImages(ids);
    this.library.boards.moveImages(fromBoardId, toBoardId, ids);
    return this.changed();
  }

  private changed(): BoardsState {
    const state = this.state();
    this.emit('boards', 'changed', state);
    return state;
  }

  private refuseTakenName(name: string, renaming?: string): void {
    const taken = this.library.boards.named(name);
    if (taken && taken.id !== renaming) throw new UserError(`There is already a board named "${taken.name}": pick another name.`);
  }

  private refuseUnknownImages(ids: readonly string[]): void {
    const unknown = this.library.images.unknown(ids);
    if (unknown.length === 0) return;
    const others = unknown.length > 1 ? ` and ${unknown.length - 1} more` : '';
    throw new UserError(`No image with id "${unknown[0]}"${others} (they may have been deleted); nothing was changed.`);
  }
}
