/**
 * Child process of the library hardening tests: opens the library in argv[2] with the app's
 * own PNG reader and prints its start report as JSON; with "hold", keeps it open until stdin
 * closes. An error prints one line and exits 1, as the app's start does.
 */
import { parametersIn } from '../../../main/studio/imports';
import { Library } from '../../../main/library/index';

try {
  const library = Library.open({ dataDir: process.argv[2]!, readParameters: parametersIn });
  process.stdout.write(`${JSON.stringify(library.startReport)}\n`);
  if (process.argv[3] === 'hold') process.stdin.on('end', () => library.close()).resume();
  else library.close();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
