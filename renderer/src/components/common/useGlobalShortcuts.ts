import { useEffect } from 'react';
import { useStudioGetter } from '../../store/react';

/**
 * Keys that work wherever the focus is: Ctrl/Cmd+Enter generates (regenerates in the
 * editor), Esc stops a running generation.
 */
export function useGlobalShortcuts(): void {
  const getState = useStudioGetter();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const state = getState();
      if (state.exporting.dialogIds !== null) return; // the dialog handles its own keys
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (state.workspace.view === 'editor') void state.editor.regenerate();
        else void state.generation.generate();
      } else if (event.key === 'Escape' && state.generation.isBusy()) {
        event.preventDefault();
        void state.generation.cancel();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [getState]);
}
