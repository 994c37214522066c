import { useEffect, useRef, useState } from 'react';
import type { Board } from '../../api';
import { useStudio, useStudioGetter, useStudioShallow } from '../../store/react';

/** What else narrows the gallery: the model and a date range (local days, both inclusive). */
export function GalleryFilters() {
  const getState = useStudioGetter();
  const { modelId, fromDate, toDate, models } = useStudioShallow((state) => ({
    modelId: state.gallery.modelId,
    fromDate: state.gallery.fromDate,
    toDate: state.gallery.toDate,
    models: state.gallery.models,
  }));
  const gallery = () => getState().gallery;
  return (
    <section className="gallery-filters" aria-label="Filters">
      <h3 className="side-heading">Filters</h3>
      <label className="side-field">
        <span aria-hidden="true">Model</span>
        <select aria-label="Model filter" value={modelId ?? ''} onChange={(event) => void gallery().setModelFilter(event.target.value || null)}>
          <option value="">All models</option>
          {models.map((model) => (
            <option key={model.modelId} value={model.modelId}>
              {model.modelId} ({model.images})
            </option>
          ))}
        </select>
      </label>
      <label className="side-field">
        <span aria-hidden="true">From</span>
        <input type="date" aria-label="From date" value={fromDate} max={toDate || undefined} onChange={(event) => void gallery().setDateRange(event.target.value, toDate)} />
      </label>
      <label className="side-field">
        <span aria-hidden="true">To</span>
        <input type="date" aria-label="To date" value={toDate} min={fromDate || undefined} onChange={(event) => void gallery().setDateRange(fromDate, event.target.value)} />
      </label>
    </section>
  );
}

/** The selected images' boards: add to one, and for the board shown, move to another or take out. */
export function SelectionBoardActions() {
  const getState = useStudioGetter();
  const { selected, boards, boardId } = useStudioShallow((state) => ({
    selected: state.gallery.selected,
    boards: state.boards.boards,
    boardId: state.gallery.boardId,
  }));
  const current = useStudio((state) => state.boards.current());
  const otherBoards = boards.filter((board) => board.id !== boardId);
  return (
    <div className="side-actions">
      <BoardMenu label="Add to board" boards={otherBoards} disabled={selected.length === 0} onPick={(board) => void getState().boards.addImages(board, selected)} />
      {current && (
        <>
          <BoardMenu label="Move to board" boards={otherBoards} disabled={selected.length === 0} onPick={(board) => void getState().boards.moveImages(board, selected)} />
          <button type="button" className="button button-quiet" disabled={selected.length === 0} onClick={() => void getState().boards.removeImages(selected)}>
            Remove from board
          </button>
        </>
      )}
    </div>
  );
}

interface BoardMenuProps {
  label: string;
  boards: Board[];
  disabled: boolean;
  onPick(board: Board): void;
}

/** A button opening a menu of boards; Escape or a click elsewhere closes it. */
function BoardMenu({ label, boards, disabled, onPick }: BoardMenuProps) {
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (event: MouseEvent) => {
      if (!menu.current?.parentElement?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  return (
    <div className="menu-anchor">
      <button type="button" className="button button-quiet" aria-haspopup="menu" aria-expanded={open} disabled={disabled} onClick={() => setOpen(!open)}>
        {label}
      </button>
      {open && (
        <div
          ref={menu}
          role="menu"
          aria-label={label}
          className="menu"
          onKeyDown={(event) => {
            const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
            const at = items.indexOf(document.activeElement as HTMLElement);
            if (event.key === 'Escape') setOpen(false);
            else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              event.preventDefault();
              items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
            }
          }}
        >
          {boards.length === 0 ? (
            <p className="menu-note muted small">No other board yet: make one with New board.</p>
          ) : (
            boards.map((board) => (
              <button
                key={board.id}
                type="button"
                role="menuitem"
                className="menu-item"
                onClick={() => {
                  setOpen(false);
                  onPick(board);
                }}
              >
                {board.name}
              </button>
            ))
          )}
        </div>
      )}
    </div>
  );
}
