/** Prompt history and the unknown-word hints under the prompt box. */
import type { UnknownWord } from '../common/contract';
import type { DomainHandlers } from './dispatch';
import { notFound } from '../studio/errors';
import type { Services } from '../studio/services';

/** Words as the engine's normalisation splits them: runs of letters and digits. */
const WORD = /[\p{L}\p{N}]+/gu;

/** Where in the prompt as typed each unknown (normalised) word stands. */
export function locateUnknownWords(text: string, unknown: readonly string[]): UnknownWord[] {
  const wanted = new Set(unknown);
  return [...text.matchAll(WORD)]
    .filter((match) => wanted.has(match[0].toLowerCase()))
    .map((match) => ({ word: match[0], start: match.index, end: match.index + match[0].length, suggestion: null }));
}

export function promptsHandlers({ library, runtime }: Services): DomainHandlers<'prompts'> {
  const { prompts } = library;
  return {
    list: (query) => ({ items: prompts.list(query) }),
    record: ({ text, settings }) => prompts.record(text, settings),
    pin({ id, pinned }) {
      const entry = prompts.pin(id, pinned);
      if (!entry) throw notFound('prompt', id);
      return entry;
    },
    async unknownWords({ text }) {
      // While no model is open there is no vocabulary to check against: no hints rather than an error.
      if (!runtime.ready) return { words: [] };
      const engine = await runtime.current();
      return { words: locateUnknownWords(text, engine.unknownWords(text)) };
    },
  };
}
