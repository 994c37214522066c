import { MAX_BRUSH_SIZE, MIN_BRUSH_SIZE } from '../../lib/mask';
import { useStudioGetter, useStudioShallow } from '../../store/react';
import { Icon, type IconName } from '../common/Icon';

export function EditorToolbar() {
  const getState = useStudioGetter();
  const editor = () => getState().editor;
  const { tool, brushSize, canUndo, canRedo, comparing } = useStudioShallow((state) => ({
    tool: state.editor.tool,
    brushSize: state.editor.brushSize,
    canUndo: state.editor.actions.length > 0,
    canRedo: state.editor.redoStack.length > 0,
    comparing: state.editor.comparing,
  }));

  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Painting tools" aria-orientation="vertical">
      <ToolButton icon="brush" label="Brush" shortcut="B" pressed={tool === 'brush'} onClick={() => editor().setTool('brush')} />
      <ToolButton icon="eraser" label="Eraser" shortcut="E" pressed={tool === 'eraser'} onClick={() => editor().setTool('eraser')} />
      <label className="brush-size" title="Brush size: [ smaller, ] larger">
        <span className="brush-size-value">{brushSize}</span>
        <input
          type="range"
          className="slider slider-vertical"
          aria-label="Brush size"
          min={MIN_BRUSH_SIZE}
          max={MAX_BRUSH_SIZE}
          value={brushSize}
          onChange={(event) => editor().setBrushSize(Number(event.target.value))}
        />
        <span className="muted small" aria-hidden="true">
          [ ]
        </span>
      </label>
      <hr />
      <ToolButton icon="undo" label="Undo stroke" shortcut="Ctrl Z" disabled={!canUndo} onClick={() => editor().undo()} />
      <ToolButton icon="redo" label="Redo stroke" shortcut="Ctrl Shift Z" disabled={!canRedo} onClick={() => editor().redo()} />
      <ToolButton icon="clear" label="Clear" disabled={!canUndo} onClick={() => editor().clear()} />
      <ToolButton icon="invert" label="Invert" shortcut="I" onClick={() => editor().invert()} />
      <hr />
      <ToolButton icon="compare" label="Before and after" pressed={comparing} onClick={() => editor().setComparing(!comparing)} />
      <ToolButton icon="back" label="Close editor" onClick={() => editor().close()} />
    </div>
  );
}

interface ToolButtonProps {
  icon: IconName;
  label: string;
  shortcut?: string;
  pressed?: boolean;
  disabled?: boolean;
  onClick(): void;
}

function ToolButton({ icon, label, shortcut, pressed, disabled, onClick }: ToolButtonProps) {
  return (
    <button
      type="button"
      className="tool-button"
      aria-label={label}
      aria-pressed={pressed}
      aria-keyshortcuts={shortcut?.replaceAll(' ', '+')}
      title={shortcut ? `${label} (${shortcut})` : label}
      disabled={disabled}
      onClick={onClick}
    >
      <Icon name={icon} size={18} />
    </button>
  );
}
