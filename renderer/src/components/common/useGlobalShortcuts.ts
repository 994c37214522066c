import { useEffect } from 'react';
import { exportDialogOpen } from '../../store/export';
import { useStudioGetter } from '../../store/react';
import { isTextEntry } from './isTextEntry';

/**
 * Keys that work wherever the focus is: Ctrl/Cmd+Enter generates (regenerates in the
 * editor), Esc stops a running generation, Ctrl/Cmd+Z outside text fields undoes the last
 * delete (the editor's own Ctrl+Z undoes strokes).
 */
export function useGlobalShortcuts(): void {
  const getState = useStudioGetter();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const state = getState();
      if (exportDialogOpen(state)) return; // the dialog handles its own keys
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (state.workspace.view === 'editor') void state.editor.regenerate();
        else void state.generation.generate();
      } else if (event.key === 'Escape' && state.generation.isBusy()) {
        event.preventDefault();
        void state.generation.cancel();
      } else if (
        event.key.toLowerCase() === 'z' &&
        (event.ctrlKey || event.metaKey) &&
        !event.shiftKey &&
        state.workspace.view === 'studio' &&
        state.gallery.lastTrashed !== null &&
        !isTextEntry(event.target)
      ) {
        event.preventDefault();
        void state.gallery.undoTrash();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [getState]);
}
