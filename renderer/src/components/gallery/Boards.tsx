import { useState, type DragEvent, type FormEvent } from 'react';
import type { Board } from '../../api';
import { MAX_BOARD_NAME } from '../../../../main/common/contract';
import { plural } from '../../lib/format';
import { useStudio, useStudioGetter } from '../../store/react';
import { Icon } from '../common/Icon';
import { GALLERY_IDS_TYPE, draggedImageIds } from './drag';
import { SelectionBoardActions } from './GalleryFilters';

/**
 * The boards beside the gallery: "All images", each board (a filter, and a drop target for
 * gallery tiles), "New board", for the board shown rename, export and delete, and what the
 * selected images can do with boards.
 */
export function Boards() {
  const getState = useStudioGetter();
  const boards = useStudio((state) => state.boards.boards);
  const boardId = useStudio((state) => state.gallery.boardId);
  const current = boards.find((board) => board.id === boardId);
  // Which name field is open: a new board's, or the shown board's rename.
  const [naming, setNaming] = useState<'new' | 'rename' | null>(null);
  const show = (id: string | null) => void getState().gallery.showBoard(id);

  return (
    <section className="boards" aria-label="Boards">
      <h3 className="side-heading">Boards</h3>
      <ul className="boards-list">
        <li>
          <button type="button" className="board-chip" aria-pressed={boardId === null} onClick={() => show(null)}>
            All images
          </button>
        </li>
        {boards.map((board) => (
          <li key={board.id}>
            <BoardChip board={board} shown={board.id === boardId} onShow={() => show(board.id)} />
          </li>
        ))}
      </ul>
      {naming === 'new' ? (
        <BoardNameForm
          label="New board name"
          submitLabel="Make board"
          initial=""
          onDone={() => setNaming(null)}
          onSubmit={async (name) => {
            const made = await getState().boards.create(name);
            if (made) show(made.id);
            return made !== undefined;
          }}
        />
      ) : naming === 'rename' && current ? (
        <BoardNameForm
          label="Board name"
          submitLabel="Rename"
          initial={current.name}
          onDone={() => setNaming(null)}
          onSubmit={(name) => getState().boards.rename(current, name)}
        />
      ) : (
        <div className="boards-actions">
          <button type="button" className="button button-quiet" onClick={() => setNaming('new')}>
            New board
          </button>
          {current && (
            <>
              <button type="button" className="icon-button toolbar-icon" aria-label="Rename board" title="Rename board" onClick={() => setNaming('rename')}>
                <Icon name="edit" />
              </button>
              <button type="button" className="icon-button toolbar-icon" aria-label="Export board" title="Export board" onClick={() => getState().exporting.openBoardDialog(current)}>
                <Icon name="export" />
              </button>
              <button type="button" className="icon-button toolbar-icon" aria-label="Delete board" title="Delete board (its images stay)" onClick={() => void getState().boards.remove(current)}>
                <Icon name="trash" />
              </button>
            </>
          )}
        </div>
      )}
      <SelectionBoardActions />
    </section>
  );
}

/** A board as a filter button that gallery tiles can be dropped on. */
function BoardChip({ board, shown, onShow }: { board: Board; shown: boolean; onShow(): void }) {
  const getState = useStudioGetter();
  const [dropping, setDropping] = useState(false);
  const accepts = (event: DragEvent) => event.dataTransfer.types.includes(GALLERY_IDS_TYPE);
  return (
    <button
      type="button"
      className={`board-chip${dropping ? ' board-chip-drop' : ''}`}
      aria-pressed={shown}
      onClick={onShow}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(event) => {
        setDropping(false);
        const ids = draggedImageIds(event.dataTransfer);
        if (ids.length === 0) return;
        event.preventDefault();
        void getState().boards.addImages(board, ids);
      }}
    >
      <span className="board-chip-name">{board.name}</span>
      <span className="board-count" aria-hidden="true">
        {board.images}
      </span>
      <span className="sr-only">, {plural(board.images, 'image')}</span>
    </button>
  );
}

interface BoardNameFormProps {
  label: string;
  submitLabel: string;
  initial: string;
  /** Resolves true when the name was taken; a refused name stays in the field for fixing. */
  onSubmit(name: string): Promise<boolean>;
  onDone(): void;
}

function BoardNameForm({ label, submitLabel, initial, onSubmit, onDone }: BoardNameFormProps) {
  const [name, setName] = useState(initial);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onSubmit(name)) onDone();
  };
  return (
    <form className="boards-actions" onSubmit={(event) => void submit(event)}>
      <input
        className="board-name"
        aria-label={label}
        placeholder={label}
        value={name}
        maxLength={MAX_BOARD_NAME}
        autoFocus
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && onDone()}
      />
      <button type="submit" className="button button-quiet">
        {submitLabel}
      </button>
      <button type="button" className="button button-quiet" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
