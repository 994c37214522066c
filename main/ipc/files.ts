/** Dropped files: imported for the editor, or only their parameters read. */
import type { ImportedImage } from '../common/contract';
import { pngDataUrl } from '../studio/images';
import { parametersIn, prepareImport } from '../studio/imports';
import type { Services } from '../studio/services';
import type { DomainHandlers } from './dispatch';

export function filesHandlers({ runtime, imports }: Services): DomainHandlers<'files'> {
  return {
    async importImage(file): Promise<ImportedImage> {
      const { resolution } = (await runtime.current()).package;
      const image = await prepareImport(file, resolution);
      return { importId: imports.add(image), image: pngDataUrl(image), parameters: parametersIn(file.bytes) };
    },
    readParameters: (file) => ({ parameters: parametersIn(file.bytes) }),
  };
}
