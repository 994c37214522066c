import { useEffect } from 'react';
import { exportDialogOpen } from '../../store/export';
import { useStudioGetter } from '../../store/react';
import { isTextEntry } from '../common/isTextEntry';

/**
 * `[` `]` brush size, B brush, E eraser, I invert, Ctrl/Cmd+Z and Shift+Z undo and redo strokes;
 * Esc goes back to the studio (the mask stays for the Editor tab) unless it is stopping a run.
 */
export function useEditorShortcuts(): void {
  const getState = useStudioGetter();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !getState().generation.isBusy() && !exportDialogOpen(getState())) {
        getState().workspace.showView('studio');
        return;
      }
      // Typing in the prompt keeps its own keys, undo included.
      if (isTextEntry(event.target) || event.altKey) return;
      const editor = getState().editor;
      const command = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const actions: Record<string, () => void> = command
        ? { z: () => (event.shiftKey ? editor.redo() : editor.undo()), y: () => editor.redo() }
        : {
            '[': () => editor.resizeBrush(-1),
            ']': () => editor.resizeBrush(1),
            b: () => editor.setTool('brush'),
            e: () => editor.setTool('eraser'),
            i: () => editor.invert(),
          };
      const action = actions[key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [getState]);
}
