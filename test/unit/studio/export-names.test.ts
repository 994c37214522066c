/** Export file-name templates: only the studio's own placeholders are filled, whatever the name. */
import { describe, expect, test } from 'vitest';
import { fileBaseName } from '../../../main/studio/export';

const image = { id: 'i1', prompt: 'a red circle', seed: 9, modelId: 'm', createdAt: new Date(2024, 0, 2, 3, 4, 5).getTime() };
const fill = (template: string) => fileBaseName(template, image as never, 0);

describe('export file-name templates', () => {
  test.each(['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'])(
    'the inherited name {%s} is an unknown placeholder, refused in one line naming the known ones',
    (name) => {
      expect(() => fill(`{${name}} {seed}`)).toThrow(
        `Unknown placeholder {${name}} in the file-name template; use {prompt} {seed} {id} {model} {index} {date} {time}.`,
      );
    },
  );
});
