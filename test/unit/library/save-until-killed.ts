/**
 * Child process of the SIGKILL test: opens the library in argv[2] and saves, trashes and
 * restores images as fast as it can until it is killed. Prints "saved" after each commit.
 * The PNGs are encoded up front so that the loop's time goes to saving, where kills land.
 */
import { Library } from '../../../main/library/index';
import { parametersFor, pngWith, readTestParameters } from './png-fixture';

const library = Library.open({ dataDir: process.argv[2]!, readParameters: readTestParameters });
const images = Array.from({ length: 6 }, (_, i) => {
  const parameters = parametersFor(`a red circle ${i}`, i);
  // Large enough that writing the bytes takes a while.
  return { png: pngWith(parameters, 256), parameters, provider: 'cpu' };
});
let lastTrashed: string | undefined;
for (let n = 0; ; n++) {
  const saved = library.images.add(images.slice(n % 4, (n % 4) + 1 + (n % 3)));
  library.prompts.record(`a red circle ${n}`, images[0]!.parameters.settings);
  if (n % 4 === 1) [lastTrashed] = library.images.trash([saved[0]!.id]);
  if (n % 8 === 5 && lastTrashed) library.images.restore([lastTrashed]);
  process.stdout.write('saved\n');
}
