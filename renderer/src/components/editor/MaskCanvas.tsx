import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { rasteriseMask, type MaskAction, type MaskPoint } from '../../lib/mask';
import { useStudio, useStudioGetter } from '../../store/react';
import { CanvasRoom } from './CanvasRoom';

type Stroke = Extract<MaskAction, { kind: 'stroke' }>;

/** The painted mask's colour: a warm tint that reads over any of the model's palettes. */
const MASK_RGBA = [255, 96, 128, 150] as const;

/**
 * The source image with the mask painted over it at the model's resolution, and the token
 * cells the engine will regenerate outlined. The stroke being drawn is shown live and joins
 * the undo history when the pointer lifts. The cells are also a grid for the keyboard:
 * arrows move between cells and Space marks or clears one.
 */
export function MaskCanvas() {
  const getState = useStudioGetter();
  const source = useStudio((state) => state.editor.source)!;
  const actions = useStudio((state) => state.editor.actions);
  const tool = useStudio((state) => state.editor.tool);
  const brushSize = useStudio((state) => state.editor.brushSize);
  const cells = useStudio((state) => state.editor.cells);
  const model = useStudio((state) => state.settings.state?.runtime.model);
  const resolution = model?.resolution ?? 64;
  const grid = model?.grid ?? 8;
  const canvas = useRef<HTMLCanvasElement>(null);
  const [stroke, setStroke] = useState<Stroke | null>(null);
  const [cursor, setCursor] = useState<{ x: number; y: number; scale: number } | null>(null);

  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const mask = rasteriseMask(stroke ? [...actions, stroke] : actions, resolution, grid);
    const pixels = context.createImageData(resolution, resolution);
    mask.forEach((masked, i) => {
      if (masked) pixels.data.set(MASK_RGBA, i * 4);
    });
    context.putImageData(pixels, 0, 0);
  }, [actions, stroke, resolution, grid]);

  const toMask = (event: PointerEvent<HTMLCanvasElement>): MaskPoint => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * resolution,
      y: ((event.clientY - rect.top) / rect.height) * resolution,
    };
  };
  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    setStroke({ kind: 'stroke', tool, size: brushSize, points: [toMask(event)] });
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    setCursor({ x: event.clientX - rect.left, y: event.clientY - rect.top, scale: rect.width / resolution });
    if (stroke) setStroke({ ...stroke, points: [...stroke.points, toMask(event)] });
  };
  const finishStroke = () => {
    if (stroke) getState().editor.addAction(stroke);
    setStroke(null);
  };

  return (
    <CanvasRoom below={<span className="muted small">Paint with the pointer, or Tab to the cells: arrows move, Space marks a cell</span>}>
      <div className="mask-stage">
        <img className="pixelated mask-source" src={source.imageUrl} alt={`Source image: ${source.title}`} draggable={false} />
        <canvas
          ref={canvas}
          className={`pixelated mask-canvas mask-${tool}`}
          width={resolution}
          height={resolution}
          role="img"
          aria-label="Mask"
          aria-description="Paint with the pointer over the parts to regenerate, or mark cells with the keyboard in the grid of cells"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={finishStroke}
          onPointerCancel={finishStroke}
          onPointerLeave={() => setCursor(null)}
        />
        <CellGrid grid={grid} marked={new Set(cells)} />
        {cursor && (
          <div
            className="brush-cursor"
            aria-hidden="true"
            style={{
              width: brushSize * cursor.scale,
              height: brushSize * cursor.scale,
              transform: `translate(${cursor.x - (brushSize * cursor.scale) / 2}px, ${cursor.y - (brushSize * cursor.scale) / 2}px)`,
            }}
          />
        )}
      </div>
    </CanvasRoom>
  );
}

/**
 * The token cells over the canvas as a keyboard grid (one Tab stop, arrows between cells,
 * Space or Enter marks or clears the focused cell); the pointer paints through it.
 */
function CellGrid({ grid, marked }: { grid: number; marked: ReadonlySet<number> }) {
  const getState = useStudioGetter();
  const [focused, setFocused] = useState(0);
  const cellsElement = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const row = Math.floor(focused / grid);
    const column = focused % grid;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [row, Math.max(0, column - 1)],
      ArrowRight: [row, Math.min(grid - 1, column + 1)],
      ArrowUp: [Math.max(0, row - 1), column],
      ArrowDown: [Math.min(grid - 1, row + 1), column],
      Home: [row, 0],
      End: [row, grid - 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const next = move[0] * grid + move[1];
      setFocused(next);
      cellsElement.current?.querySelector<HTMLElement>(`[data-cell="${next}"]`)?.focus();
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      getState().editor.toggleCell(focused);
    }
  };
  return (
    <div
      ref={cellsElement}
      id="mask-cells"
      className="cell-overlay"
      style={{ gridTemplateColumns: `repeat(${grid}, 1fr)`, gridTemplateRows: `repeat(${grid}, 1fr)` }}
      role="grid"
      aria-label="Cells to regenerate"
      aria-description="Arrow keys move between cells; Space marks or clears the cell"
      onKeyDown={onKeyDown}
    >
      {Array.from({ length: grid }, (_, row) => (
        <div key={row} role="row" className="cell-row">
          {Array.from({ length: grid }, (_, column) => {
            const cell = row * grid + column;
            return (
              <div
                key={cell}
                role="gridcell"
                data-cell={cell}
                aria-label={`Row ${row + 1}, column ${column + 1}`}
                aria-selected={marked.has(cell)}
                tabIndex={cell === focused ? 0 : -1}
                className={marked.has(cell) ? 'cell cell-masked' : 'cell'}
                onFocus={() => setFocused(cell)}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
}
