/** Where the library lives: `--data-dir`, or the platform's user-data folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file';

const APP_FOLDER = 'Parti Studio';

/** The platform's per-user application data folder, as Electron's `userData` would be. */
export function defaultDataDir(): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_FOLDER);
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_FOLDER);
  }
}

/** The value of `--data-dir DIR` or `--data-dir=DIR` in `argv`, resolved; undefined when absent. */
export function dataDirFromArgs(argv: readonly string[]): string | undefined {
  const value = optionValue(argv, '--data-dir');
  return value === undefined ? undefined : path.resolve(value);
}

/** `--name VALUE` or `--name=VALUE`; throws when the flag is given without a value. */
export function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    if (arg === name) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
      return value;
    }
  }
  return undefined;
}

/** Where the app remembers a data folder chosen in the settings (outside any data folder). */
const LOCATION_FILE = 'data-location.json';

/** The data folder chosen for launches, or null when none was chosen or the note is unreadable. */
export function readDataLocation(configDir: string): string | null {
  try {
    const { dataDir } = JSON.parse(fs.readFileSync(path.join(configDir, LOCATION_FILE), 'utf8')) as { dataDir?: unknown };
    return typeof dataDir === 'string' && path.isAbsolute(dataDir) ? dataDir : null;
  } catch {
    return null;
  }
}

export function writeDataLocation(configDir: string, dataDir: string): void {
  fs.mkdirSync(configDir, { recursive: true });
  const file = path.join(configDir, LOCATION_FILE);
  writeFileAtomic(file, new TextEncoder().encode(JSON.stringify({ dataDir: path.resolve(dataDir) })), `${file}.tmp`);
}
