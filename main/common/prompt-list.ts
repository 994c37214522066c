/**
 * A list of prompts as people write one: one prompt a line, blank lines skipped. The CLI's
 * `--prompts FILE` and the studio's "Add batch" both read lists this way.
 */
export function promptLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
