/**
 * `npm start`: builds the app and launches Electron with the embedded model. Where the
 * Electron binary is not installed (offline installs skip its download), says so and how
 * to get it, and points at the browser bridge instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildElectron, ROOT } from './build';

function electronBinary(): string | null {
  try {
    return createRequire(import.meta.url)('electron') as string; // the package exports its binary's path
  } catch {
    return null;
  }
}

/** better-sqlite3 is a V8 addon: built for Node it will not load in Electron until rebuilt. */
function sqliteLoadsInElectron(binary: string): boolean {
  const probe = spawnSync(binary, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: ROOT,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
  });
  return probe.status === 0;
}

async function main(): Promise<void> {
  const binary = electronBinary();
  if (!binary) {
    console.error(
      [
        'npm start: the Electron binary is not installed (node_modules/electron has no dist/).',
        'Offline installs skip its download (ELECTRON_SKIP_BINARY_DOWNLOAD=1). To get it, run:',
        '  node node_modules/electron/install.js',
        'Meanwhile the same app runs in a browser: npm run serve',
      ].join('\n'),
    );
    process.exit(1);
  }
  if (!sqliteLoadsInElectron(binary)) {
    console.error(
      [
        "npm start: better-sqlite3 is built for Node, not for Electron's ABI. Rebuild it for Electron with:",
        '  npx electron-builder install-app-deps',
        '(and `npm rebuild better-sqlite3` before running the unit tests under Node again).',
      ].join('\n'),
    );
    process.exit(1);
  }
  console.error('Building…');
  await buildElectron();
  const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

main().catch((error: unknown) => {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
