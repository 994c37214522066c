/** Export: one image or several, rendered by the studio and delivered by the host. */
import { exportFiles } from '../studio/export';
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function exportHandlers(services: Services): DomainHandlers<'export'> {
  const { host } = services;
  return {
    image: async ({ id, options }) => host.deliverExport(await exportFiles(services, [id], options), false),
    images: async ({ ids, options }, caller) => host.deliverExport(await exportFiles(services, ids, options, caller.signal), true),
  };
}
