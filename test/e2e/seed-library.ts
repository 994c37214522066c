/**
 * Fills a data folder with many images, so that the gallery can be tried at the size artists
 * reach (the engine would take hours to make them one by one). Files are written plainly and
 * their rows committed in one transaction: durability is not what these tests are about.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodePng } from '../../main/engine/png';
import { imageFileName } from '../../main/library/images';
import { Library } from '../../main/library/index';
import { parametersIn } from '../../main/studio/imports';
import type { ImageParameters } from '../../main/common/contract';

const SHAPES = ['circle', 'square', 'triangle', 'cross'];
const COLOURS = ['red', 'green', 'blue', 'yellow', 'purple', 'orange'];
const SIDE = 64;
/** Distinct pictures; encoding one per image would make seeding slower than the test. */
const PICTURES = 61;

/** A flat colour field with a square of another colour, different for every index. */
function pictureFor(index: number) {
  const data = new Uint8ClampedArray(SIDE * SIDE * 4);
  const hue = (index * 47) % 360;
  const [r, g, b] = [hue, (hue + 120) % 360, (hue + 240) % 360].map((h) => 128 + Math.round(100 * Math.cos((h * Math.PI) / 180)));
  const offset = (index * 7) % 40;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = x >= offset && x < offset + 20 && y >= offset && y < offset + 20;
      data.set(inside ? [r!, g!, b!, 255] : [24, 26, 30, 255], (y * SIDE + x) * 4);
    }
  }
  return { width: SIDE, height: SIDE, data };
}

export function promptFor(index: number): string {
  return `a ${COLOURS[index % COLOURS.length]} ${SHAPES[Math.floor(index / COLOURS.length) % SHAPES.length]} number ${index}`;
}

export function seedLibrary(dataDir: string, count: number): void {
  const library = Library.open({ dataDir, readParameters: parametersIn });
  try {
    const start = Date.now() - count * 1000;
    const pictures = new Map<number, Uint8Array>();
    const rows = Array.from({ length: count }, (_, index) => {
      const parameters: ImageParameters = {
        kind: 'generate',
        prompt: promptFor(index),
        seed: index,
        settings: { guidance: 3, temperature: 1, topK: 64, topP: 1, candidates: 4 },
        modelId: 'seeded',
      };
      const id = `seeded-${String(index).padStart(6, '0')}`;
      const file = imageFileName(id);
      const variant = index % PICTURES;
      if (!pictures.has(variant)) pictures.set(variant, encodePng(pictureFor(variant), parameters));
      fs.writeFileSync(path.join(library.paths.images, file), pictures.get(variant)!);
      return { id, file, parameters, provider: 'cpu', sourceId: null, createdAt: start + index * 1000, trashedAt: null };
    });
    library.images.insertRows(rows);
  } finally {
    library.close();
  }
}
