/**
 * `npm start`: builds the app and launches Electron with the embedded model. Where the
 * Electron binary is not installed (offline installs skip its download), says so and how
 * to get it, and points at the browser bridge instead. The first start also builds SQLite
 * for Electron, beside the Node build the tests use.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ELECTRON_SQLITE_BINDING } from '../library/index';
import { buildElectron, ROOT } from './build';

function electronBinary(): string | null {
  try {
    return createRequire(import.meta.url)('electron') as string; // the package exports its binary's path
  } catch {
    return null;
  }
}

/** Whether Electron (run as Node) can open a database with the given better-sqlite3 addon. */
function sqliteLoadsInElectron(binary: string, binding: string): boolean {
  if (!fs.existsSync(binding)) return false;
  const probe = spawnSync(binary, ['-e', `new (require('better-sqlite3'))(':memory:', { nativeBinding: ${JSON.stringify(binding)} }).close()`], {
    cwd: ROOT,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: 'ignore',
  });
  return probe.status === 0;
}

/**
 * better-sqlite3 is a V8 addon: the build in node_modules is for Node (the tests need it),
 * and Electron needs one for its own ABI. Builds that one in a copy of the package, from a
 * prebuilt binary or else from source against Electron's headers (both need the network
 * once), and keeps it at ELECTRON_SQLITE_BINDING.
 */
function buildSqliteForElectron(version: string, binding: string): boolean {
  const work = path.join(path.dirname(binding), 'better-sqlite3');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.cpSync(path.join(ROOT, 'node_modules', 'better-sqlite3'), work, { recursive: true, filter: (source) => !source.includes(`${path.sep}build${path.sep}`) });
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'node_modules', script), ...args], { cwd: work, stdio: 'inherit' }).status === 0;
  const built =
    run('prebuild-install/bin.js', ['--runtime', 'electron', '--target', version]) ||
    run('node-gyp/bin/node-gyp.js', ['rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers']);
  const addon = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !fs.existsSync(addon)) return false;
  fs.copyFileSync(addon, binding);
  return true;
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
  const binding = path.join(ROOT, ELECTRON_SQLITE_BINDING);
  if (!sqliteLoadsInElectron(binary, binding)) {
    const version = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
    console.error(`Building SQLite for Electron ${version} (once)…`);
    if (!buildSqliteForElectron(version, binding) || !sqliteLoadsInElectron(binary, binding)) {
      console.error(
        [
          `npm start: could not build better-sqlite3 for Electron ${version}: this needs the network once`,
          '(a prebuilt binary, or Electron\'s headers and a C++ toolchain). Meanwhile: npm run serve',
        ].join('\n'),
      );
      process.exit(1);
    }
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
