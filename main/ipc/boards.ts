/** Boards: user-named collections of gallery images. */
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function boardsHandlers({ boards }: Services): DomainHandlers<'boards'> {
  return {
    list: () => boards.state(),
    create: ({ name }) => boards.create(name),
    rename: ({ boardId, name }) => boards.rename(boardId, name),
    remove: ({ boardId }) => boards.remove(boardId),
    addImages: ({ boardId, ids }) => boards.addImages(boardId, ids),
    removeImages: ({ boardId, ids }) => boards.removeImages(boardId, ids),
    moveImages: ({ fromBoardId, toBoardId, ids }) => boards.moveImages(fromBoardId, toBoardId, ids),
  };
}
