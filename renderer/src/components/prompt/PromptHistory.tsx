import { useState, type KeyboardEvent } from 'react';
import type { PromptEntry } from '../../api';
import { formatDate } from '../../lib/format';
import { useStudio, useStudioGetter } from '../../store/react';
import { Icon } from '../common/Icon';
import { SearchField } from '../common/SearchField';

/**
 * Every prompt used, with its settings: pinned first, then most recent. The list is one Tab
 * stop: Up and Down move between prompts, Right reaches a prompt's pin and Left comes back.
 */
export function PromptHistory() {
  const getState = useStudioGetter();
  const history = useStudio((state) => state.prompt.history);
  const search = useStudio((state) => state.prompt.search);
  const [active, setActive] = useState(0);
  const activeRow = Math.min(active, Math.max(0, history.length - 1));

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const rows = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('.history-use'));
    const row = rows.findIndex((button) => button.parentElement?.contains(event.target as Node));
    if (row < 0) return;
    const moves: Record<string, number> = { ArrowDown: row + 1, ArrowUp: row - 1, Home: 0, End: rows.length - 1 };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      const target = Math.min(Math.max(0, next), rows.length - 1);
      setActive(target);
      rows[target]?.focus();
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      const within = rows[row]!.parentElement!;
      within.querySelector<HTMLElement>(event.key === 'ArrowRight' ? '.pin-button' : '.history-use')?.focus();
    }
  };

  return (
    <section className="panel history" aria-labelledby="history-heading">
      <div className="panel-header">
        <h2 id="history-heading" className="panel-title">
          History
        </h2>
        <span className="muted small">↑ ↓ in the prompt</span>
      </div>
      <SearchField label="Search history" value={search} onSearch={(text) => void getState().prompt.setSearch(text)} />
      <ul className="history-list" aria-description="Up and Down move between prompts, Right reaches the pin" onKeyDown={onKeyDown}>
        {history.map((entry, row) => (
          <HistoryRow key={entry.id} entry={entry} tabbable={row === activeRow} onFocus={() => setActive(row)} />
        ))}
        {history.length === 0 && (
          <li className="empty-hint">{search ? 'No prompt matches.' : 'Prompts you generate with appear here.'}</li>
        )}
      </ul>
    </section>
  );
}

function HistoryRow({ entry, tabbable, onFocus }: { entry: PromptEntry; tabbable: boolean; onFocus(): void }) {
  const getState = useStudioGetter();
  const { settings } = entry;
  return (
    <li className="history-row" onFocus={onFocus}>
      <button
        type="button"
        tabIndex={tabbable ? 0 : -1}
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
        tabIndex={-1}
        onClick={() => void getState().prompt.setPinned(entry, !entry.pinned)}
      >
        <Icon name="pin" size={14} />
      </button>
    </li>
  );
}
