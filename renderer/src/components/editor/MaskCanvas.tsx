import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { rasteriseMask, type MaskAction, type MaskPoint } from '../../lib/mask';
import { useStudio, useStudioGetter } from '../../store/react';

type Stroke = Extract<MaskAction, { kind: 'stroke' }>;

/** The painted mask's colour: a warm tint that reads over any of the model's palettes. */
const MASK_RGBA = [255, 96, 128, 150] as const;

/**
 * The source image with the mask painted over it at the model's resolution, and the token
 * cells the engine will regenerate outlined. The stroke being drawn is shown live and joins
 * the undo history when the pointer lifts.
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
    const mask = rasteriseMask(stroke ? [...actions, stroke] : actions, resolution);
    const pixels = context.createImageData(resolution, resolution);
    mask.forEach((masked, i) => {
      if (masked) pixels.data.set(MASK_RGBA, i * 4);
    });
    context.putImageData(pixels, 0, 0);
  }, [actions, stroke, resolution]);

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

  const cellSet = new Set(cells);
  return (
    <div className="mask-stage">
      <img className="pixelated mask-source" src={source.imageUrl} alt={`Source image: ${source.title}`} draggable={false} />
      <div
        className="cell-overlay"
        style={{ gridTemplateColumns: `repeat(${grid}, 1fr)`, gridTemplateRows: `repeat(${grid}, 1fr)` }}
        aria-hidden="true"
      >
        {Array.from({ length: grid * grid }, (_, cell) => (
          <div key={cell} className={cellSet.has(cell) ? 'cell cell-masked' : 'cell'} />
        ))}
      </div>
      <canvas
        ref={canvas}
        className={`pixelated mask-canvas mask-${tool}`}
        width={resolution}
        height={resolution}
        role="img"
        aria-label="Mask"
        aria-description="Paint with the pointer over the parts to regenerate"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={finishStroke}
        onPointerCancel={finishStroke}
        onPointerLeave={() => setCursor(null)}
      />
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
  );
}
