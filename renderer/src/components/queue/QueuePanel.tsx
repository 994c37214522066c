import { useState, type DragEvent, type KeyboardEvent } from 'react';
import { MORE_LIKE_THIS_COUNT } from '../../../../main/common/limits';
import { promptLines } from '../../../../main/common/prompt-list';
import type { QueueEntry } from '../../api';
import { plural } from '../../lib/format';
import { useStudio, useStudioGetter } from '../../store/react';
import { queueStatusText } from '../../store/queue';

export const MORE_LIKE_THIS_LABEL = `${MORE_LIKE_THIS_COUNT} more like this`;
export const MORE_LIKE_THIS_HINT = `Queue ${MORE_LIKE_THIS_COUNT} runs with this image's prompt and settings on the next ${MORE_LIKE_THIS_COUNT} seeds (seed + 1 onwards)`;

/** The drag's payload type: a waiting entry's id. */
const DRAG_TYPE = 'application/x-parti-queue-entry';

/**
 * The queue main keeps: the running run, the waiting ones in line order (drag them, or
 * Move up / Move down, or Alt+↑/↓ on a focused entry), the latest finished ones, and a
 * batch box that queues one run a line.
 */
export function QueuePanel() {
  const getState = useStudioGetter();
  const state = useStudio((studio) => studio.queue.state);
  const waiting = useStudio((studio) => studio.queue.waitingCount());
  const full = useStudio((studio) => studio.queue.isFull());
  const [batchOpen, setBatchOpen] = useState(false);
  const entries = state?.entries ?? [];
  const active = entries.some((entry) => entry.status === 'waiting' || entry.status === 'running');

  return (
    <section className="panel queue-panel" aria-labelledby="queue-heading">
      <div className="panel-header">
        <h2 id="queue-heading" className="panel-title">
          Queue
        </h2>
        <span className="muted small" aria-live="polite">
          {state ? `${waiting} of ${state.maxWaiting} waiting` : ''}
        </span>
      </div>
      {full && (
        <p className="field-error" role="status">
          The queue is full: {state!.maxWaiting} runs are waiting, the most it holds. Cancel some, or wait for them to run.
        </p>
      )}
      {entries.length === 0 ? (
        <p className="hint">Nothing queued. Generate while a run is going, or add a batch: each run waits its turn here.</p>
      ) : (
        // Focusable, so that a long list scrolls from the keyboard even when no entry can take the focus.
        <ol className="queue-list" aria-label="Queued runs" tabIndex={0}>
          {entries.map((entry) => (
            <QueueItem key={entry.id} entry={entry} waiting={waiting} />
          ))}
        </ol>
      )}
      <div className="button-row">
        <button type="button" className="button button-quiet" aria-expanded={batchOpen} aria-controls="queue-batch" onClick={() => setBatchOpen(!batchOpen)}>
          Add batch
        </button>
        <button type="button" className="button button-quiet" disabled={!active} onClick={() => void getState().queue.cancelAll()}>
          Cancel all
        </button>
      </div>
      {batchOpen && <BatchForm disabled={full} />}
    </section>
  );
}

function BatchForm({ disabled }: { disabled: boolean }) {
  const getState = useStudioGetter();
  const text = useStudio((studio) => studio.queue.batchText);
  const lines = promptLines(text).length;
  return (
    <form
      id="queue-batch"
      className="queue-batch"
      onSubmit={(event) => {
        event.preventDefault();
        void getState().queue.addBatch();
      }}
    >
      <textarea
        aria-label="Batch prompts, one per line"
        aria-describedby="queue-batch-hint"
        rows={4}
        spellCheck={false}
        placeholder={'a red circle at the top left\na blue square at the bottom'}
        value={text}
        onChange={(event) => getState().queue.setBatchText(event.target.value)}
      />
      <p id="queue-batch-hint" className="muted small">
        One run a line, blank lines skipped, each with the current sampling settings and seed mode.
      </p>
      <button type="submit" className="button" disabled={disabled}>
        Queue {plural(lines, 'prompt')}
      </button>
    </form>
  );
}

function QueueItem({ entry, waiting }: { entry: QueueEntry; waiting: number }) {
  const getState = useStudioGetter();
  const [dropTarget, setDropTarget] = useState(false);
  const promptId = `queue-prompt-${entry.id}`;
  const isWaiting = entry.status === 'waiting';
  const cancellable = isWaiting || entry.status === 'running';
  const percent = entry.progress === null ? null : Math.round(entry.progress * 100);
  const queue = () => getState().queue;

  const onKeyDown = (event: KeyboardEvent) => {
    if (!isWaiting || !event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    void queue().moveBy(entry.id, event.key === 'ArrowUp' ? -1 : 1);
  };
  const onDrop = (event: DragEvent) => {
    setDropTarget(false);
    const id = event.dataTransfer.getData(DRAG_TYPE);
    if (!id || id === entry.id || entry.position === null) return;
    event.preventDefault();
    void queue().move(id, entry.position);
  };

  return (
    <li
      className={`queue-item queue-${entry.status}${dropTarget ? ' queue-drop-target' : ''}`}
      tabIndex={isWaiting ? 0 : undefined}
      aria-describedby={promptId}
      aria-keyshortcuts={isWaiting ? 'Alt+ArrowUp Alt+ArrowDown' : undefined}
      draggable={isWaiting}
      onKeyDown={onKeyDown}
      onDragStart={(event) => {
        event.dataTransfer.setData(DRAG_TYPE, entry.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(event) => {
        if (!isWaiting || !event.dataTransfer.types.includes(DRAG_TYPE)) return;
        event.preventDefault();
        setDropTarget(true);
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={onDrop}
    >
      <span id={promptId} className="queue-prompt" title={entry.request.prompt}>
        {entry.request.prompt}
      </span>
      <span className="queue-status muted small">
        {queueStatusText(entry)} · seed {entry.request.seed} · {plural(entry.request.settings.candidates, 'candidate')}
      </span>
      {percent !== null && (
        <div
          className="queue-progress"
          role="progressbar"
          aria-label={`Progress of “${entry.request.prompt}”`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div className="queue-progress-value" style={{ width: `${percent}%` }} />
        </div>
      )}
      <div className="queue-actions">
        {isWaiting && (
          <>
            <button type="button" className="button button-quiet" aria-describedby={promptId} disabled={entry.position === 0} onClick={() => void queue().moveBy(entry.id, -1)}>
              Move up
            </button>
            <button
              type="button"
              className="button button-quiet"
              aria-describedby={promptId}
              disabled={entry.position === waiting - 1}
              onClick={() => void queue().moveBy(entry.id, 1)}
            >
              Move down
            </button>
          </>
        )}
        {cancellable && (
          <button type="button" className="button button-quiet" aria-describedby={promptId} onClick={() => void queue().cancel(entry.id)}>
            Cancel
          </button>
        )}
      </div>
    </li>
  );
}
