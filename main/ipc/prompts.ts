/** Prompt history and the unknown-word hints under the prompt box. */
import type { DomainHandlers } from './dispatch';
import { notFound } from '../studio/errors';
import { unknownWordHints } from '../studio/suggestions';
import type { Services } from '../studio/services';

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
    async assist() {
      if (!runtime.ready) return { vocabulary: 'none' as const };
      const engine = await runtime.current();
      const words = engine.vocabulary();
      if (words.length === 0) return { vocabulary: 'open' as const };
      const { wordGroups } = engine.package;
      return { vocabulary: 'closed' as const, words, groups: wordGroups.length > 0 ? wordGroups : [{ label: 'words', words }] };
    },
    async unknownWords({ text }) {
      // While no model is open there is no vocabulary to check against: no hints rather than an error.
      if (!runtime.ready) return { words: [] };
      const engine = await runtime.current();
      return { words: unknownWordHints(text, await engine.unknownWords(text), engine.vocabulary()) };
    },
  };
}
