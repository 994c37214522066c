/** The queue of generation runs: list, batch, more like this, reorder, cancel. */
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function queueHandlers({ queue }: Services): DomainHandlers<'queue'> {
  return {
    list: () => queue.state(),
    addBatch: (batch) => queue.addBatch(batch),
    moreLikeThis: ({ imageId }) => queue.moreLikeThis(imageId),
    move: ({ id, position }) => queue.move(id, position),
    cancel: ({ id }) => queue.cancel(id),
    cancelAll: () => queue.cancelAll(),
  };
}
