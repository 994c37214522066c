/**
 * Child process of the SIGKILL test: opens the library in argv[2] and saves, trashes and
 * restores images as fast as it can until it is killed. Prints "ready" once open.
 */
import { Library } from '../../../main/library/index';
import { parametersFor, pngWith, readTestParameters } from './png-fixture';

const library = Library.open({ dataDir: process.argv[2]!, readParameters: readTestParameters });
process.stdout.write('ready\n');
let lastTrashed: string | undefined;
for (let n = 0; ; n++) {
  const batch = Array.from({ length: 1 + (n % 3) }, (_, i) => {
    const parameters = parametersFor(`a red circle ${n}-${i}`, n * 10 + i);
    // Large enough that the kill often lands while bytes are being written.
    return { png: pngWith(parameters, 256), parameters, provider: 'cpu', sourceId: null };
  });
  const saved = library.images.add(batch);
  library.prompts.record(`a red circle ${n}`, batch[0]!.parameters.settings);
  if (n % 4 === 1) [lastTrashed] = library.images.trash([saved[0]!.id]);
  if (n % 8 === 5 && lastTrashed) library.images.restore([lastTrashed]);
}
