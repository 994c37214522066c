/** Variations: keep a share of a gallery (or dropped) image's cells and resample the rest. */
import type { DomainHandlers } from './dispatch';
import { startFromSource } from './edit';
import type { Services } from '../studio/services';

export function variationsHandlers(services: Services): DomainHandlers<'variations'> {
  return {
    make: (request) =>
      startFromSource(services, 'variation', request, (engine, base, options) => engine.vary({ ...base, strength: request.strength, keep: request.keep }, options)),
  };
}
