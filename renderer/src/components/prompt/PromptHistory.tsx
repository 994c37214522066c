import type { PromptEntry } from '../../api';
import { formatDate } from '../../lib/format';
import { useStudio, useStudioGetter } from '../../store/react';
import { Icon } from '../common/Icon';
import { SearchField } from '../common/SearchField';

/** Every prompt used, with its settings: pinned first, then most recent. */
export function PromptHistory() {
  const getState = useStudioGetter();
  const history = useStudio((state) => state.prompt.history);
  const search = useStudio((state) => state.prompt.search);

  return (
    <section className="panel history" aria-labelledby="history-heading">
      <div className="panel-header">
        <h2 id="history-heading" className="panel-title">
          History
        </h2>
        <span className="muted small">↑ ↓ in the prompt</span>
      </div>
      <SearchField label="Search history" value={search} onSearch={(text) => void getState().prompt.setSearch(text)} />
      <ul className="history-list">
        {history.map((entry) => (
          <HistoryRow key={entry.id} entry={entry} />
        ))}
        {history.length === 0 && (
          <li className="empty-hint">{search ? 'No prompt matches.' : 'Prompts you generate with appear here.'}</li>
        )}
      </ul>
    </section>
  );
}

function HistoryRow({ entry }: { entry: PromptEntry }) {
  const getState = useStudioGetter();
  const { settings } = entry;
  return (
    <li className="history-row">
      <button
        type="button"
        className="history-use"
        title={`Guidance ${settings.guidance} · temperature ${settings.temperature} · top-k ${settings.topK} · ${settings.candidates} candidates`}
        onClick={() => void getState().prompt.useEntry(entry)}
      >
        <span className="history-text">{entry.text}</span>
        <span className="history-meta">
          {formatDate(entry.lastUsedAt)} · used {entry.count}×
        </span>
      </button>
      <button
        type="button"
        className="icon-button pin-button"
        aria-label={entry.pinned ? `Unpin “${entry.text}”` : `Pin “${entry.text}”`}
        aria-pressed={entry.pinned}
        onClick={() => void getState().prompt.setPinned(entry, !entry.pinned)}
      >
        <Icon name="pin" size={14} />
      </button>
    </li>
  );
}
