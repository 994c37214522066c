/**
 * test/BAD-INPUTS.md stays true: every row names a test file that exists and a test in it
 * by its title as vitest reports it (a table-driven test's title with its case filled in),
 * so a renamed or deleted test cannot leave a row pointing at nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const table = fs.readFileSync(path.join(root, 'test', 'BAD-INPUTS.md'), 'utf8');

interface TestReference {
  line: number;
  file: string;
  /** Test titles; none where the row says "(same test)" as the row above. */
  titles: string[];
}

/** A row's last cell: `FILE › TITLE`, `FILE › TITLE (and › TITLE)` or several such, joined by "; ". */
function references(): TestReference[] {
  return table.split('\n').flatMap((text, index) => {
    if (!/^\| \d+ \|/.test(text)) return [];
    const cell = text.split(' | ').at(-1)!.replace(/ \|$/, '');
    return cell.split(/; (?=test\/)/).map((reference) => {
      const [file, ...rest] = reference.split(' › ');
      const named = rest.join(' › ');
      const titles = named === '(same test)' ? [] : named.split(/ \(and › |\)$/).filter(Boolean);
      return { line: index + 1, file: file!.trim(), titles };
    });
  });
}

/** The string literals of a test file, escapes undone: where its test titles are. */
const literalsOf = (source: string): string[] =>
  [...source.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((match) => match[2]!.replace(/\\(.)/g, '$1'));

/** A title template (`reports %s in one line`, `… ${KILLS} times`) as a pattern its filled-in titles match. */
const templatePattern = (template: string): RegExp =>
  new RegExp(`^${template.split(/%[sidfjo#]|\$\{[^}]*\}|\$\w+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);

/** Whether a test file has the title: as written, with its escapes undone, or through a template. */
function hasTitle(source: string, title: string): boolean {
  return source.includes(title) || literalsOf(source).some((literal) => literal.includes(title) || templatePattern(literal).test(title));
}

test('the table has at least 40 rows, each naming a test file', () => {
  expect(new Set(references().map((reference) => reference.line)).size).toBeGreaterThanOrEqual(40);
  for (const reference of references()) expect(reference.file, `line ${reference.line}`).toMatch(/^test\/.+\.test\.ts$/);
});

test('every row names a test file that exists and a test title found in it', () => {
  const missing = references().flatMap(({ line, file, titles }) => {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) return [`line ${line}: no file ${file}`];
    const source = fs.readFileSync(full, 'utf8');
    return titles.filter((title) => !hasTitle(source, title)).map((title) => `line ${line}: no test "${title}" in ${file}`);
  });
  expect(missing).toEqual([]);
});

test('the check catches a title that no test has, and accepts a filled-in template', () => {
  const source = ("test.each([['a', 1]])('reports %s in one line with exit code %i', () => {}); test(`survives ${KILLS} times`, () => {}); test('the queue\\'s bound', () => {});");
  expect(hasTitle(source, 'reports a negative seed in one line with exit code 4')).toBe(true);
  expect(hasTitle(source, 'survives 50 times')).toBe(true);
  expect(hasTitle(source, "the queue's bound")).toBe(true);
  expect(hasTitle(source, 'reports a negative seed in two lines')).toBe(false);
});
