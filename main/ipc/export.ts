/** Export: one image or several, rendered by the studio and delivered by the host. */
import { exportFiles } from '../studio/export';
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';
import { UserError } from '../studio/errors';

export function exportHandlers(services: Services): DomainHandlers<'export'> {
  const { host } = services;
  return {
    image: async ({ id, options }) => host.deliverExport(await exportFiles(services, [id], options), false),
    images: async ({ ids, options }, caller) => host.deliverExport(await exportFiles(services, ids, options, caller.signal), true),
    board: async ({ boardId, options }, caller) => {
      const board = services.boards.board(boardId);
      const ids = services.library.images.ids({ boardId, search: '', favouritesOnly: false });
      if (ids.length === 0) throw new UserError(`The board "${board.name}" holds no images out of the trash: nothing to export.`);
      return host.deliverBoard(await exportFiles(services, ids, options, caller.signal), board.name);
    },
  };
}
