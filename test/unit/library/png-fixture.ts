/**
 * Test PNGs carrying parameters in a tEXt chunk, and the matching reader. The app reads
 * parameters with the engine's PNG module; the library only needs some reader injected.
 */
import { decode, encode } from 'fast-png';
import type { ImageParameters } from '../../../main/common/contract';

const KEY = 'parti-test-parameters';

export function parametersFor(prompt: string, seed: number): ImageParameters {
  return {
    kind: 'generate',
    prompt,
    seed,
    settings: { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 },
    modelId: 'test-model',
    rank: 0,
  };
}

export function pngWith(parameters: ImageParameters, side = 64): Uint8Array {
  const data = new Uint8Array(side * side * 3).map((_, i) => (i * 7 + parameters.seed) & 0xff);
  return encode({ width: side, height: side, data, channels: 3, text: { [KEY]: JSON.stringify(parameters) } });
}

export function readTestParameters(png: Uint8Array): ImageParameters | null {
  const text = decode(png).text[KEY];
  return text === undefined ? null : (JSON.parse(text) as ImageParameters);
}
