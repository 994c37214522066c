/** Paths of the engine's test fixtures. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
/** The tiny smoke-trained package exported by native-models/training/export.py. */
export const TINY_PACKAGE = path.join(FIXTURES, 'tiny-package');
export const TINY_PARITY = path.join(FIXTURES, 'tiny-package-parity');
