/**
 * The Electron app as it is packaged: Electron on a supported major, electron-builder's
 * config valid against electron-builder's own schema with the security fuses set, and
 * Electronegativity's static review of main/ and preload/ clean apart from the false
 * positives documented in test/electronegativity-exceptions.json.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** electron-builder's own YAML reader (no types shipped). */
const yaml = require('js-yaml') as { load(text: string): unknown };
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The three newest Electron majors in December 2026 are 43–45 (41 is out of support). */
const OLDEST_SUPPORTED_ELECTRON_MAJOR = 43;

describe('Electron', () => {
  test('is pinned at the installed version, on a supported major, as the README says', () => {
    const pinned = (JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }).devDependencies.electron!;
    const installed = (require('electron/package.json') as { version: string }).version;
    expect(pinned).toBe(installed);
    const major = Number(installed.split('.')[0]);
    expect(major).toBeGreaterThanOrEqual(OLDEST_SUPPORTED_ELECTRON_MAJOR);
    expect(read('README.md')).toContain(`Electron ${installed}`);
  });
});

describe('electron-builder.yml', () => {
  const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  // The schema uses keywords of its own generator (e.g. `deprecated`); strict mode would refuse them.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const config = yaml.load(read('electron-builder.yml')) as Record<string, unknown>;

  test("is valid against the installed electron-builder's schema, which refuses a mistyped key or value", () => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).toBe(false);
    expect(validate({ ...config, asarUnpak: ['x'] })).toBe(false);
  });

  test('flips the fuses: no running as Node, no NODE_OPTIONS or --inspect; only the integrity-checked asar loads', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

interface Finding {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: string };
  description: string;
}
type Electronegativity = (options: Record<string, unknown>, forCli: boolean) => Promise<{ issues: Finding[]; errors: { file: string; message: string }[] }>;

describe('Electronegativity', () => {
  test('finds nothing of high or medium severity in main/ and preload/ but the documented false positives', async () => {
    // Scanned together, with package.json for the Electron version, as one app: its global checks see both halves.
    const scan = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-electronegativity-'));
    try {
      for (const entry of ['main', 'preload', 'package.json']) fs.cpSync(path.join(ROOT, entry), path.join(scan, entry), { recursive: true });
      const run = require('@doyensec/electronegativity') as Electronegativity;
      const { issues, errors } = await run(
        // The security-fixes check downloads Electron's release list; the version test above covers it offline.
        { input: scan, isRelative: true, isVerbose: false, customScan: [], excludeFromScan: ['AvailableSecurityFixesGlobalCheck'], parserPlugins: [] },
        false,
      );
      expect(errors).toEqual([]);
      const { exceptions } = JSON.parse(read('test/electronegativity-exceptions.json')) as { exceptions: { id: string; file: string; reason: string }[] };
      const serious = issues.filter((issue) => issue.severity.name === 'HIGH' || issue.severity.name === 'MEDIUM');
      const excepted = (issue: Finding) => exceptions.some((e) => e.id === issue.id && e.file === issue.file);
      expect(serious.filter((issue) => !excepted(issue)).map((issue) => `${issue.id} ${issue.file}:${issue.location.line} ${issue.description}`)).toEqual([]);
      expect(exceptions.filter((e) => !serious.some((issue) => issue.id === e.id && issue.file === e.file)).map((e) => e.id)).toEqual([]);
    } finally {
      fs.rmSync(scan, { recursive: true, force: true });
    }
  });
});
