/**
 * `tsx open-and-generate.ts PACKAGE_DIR`: opens a model package and generates once, in a
 * process of its own, for tests that look at what a process leaves behind.
 */
import { Engine } from '../../../main/engine/index';

const engine = await Engine.open({ packageDir: process.argv[2]!, provider: 'cpu' });
await engine.generate({ prompt: 'a red circle', seed: 1, settings: { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 2 } });
await engine.close();
