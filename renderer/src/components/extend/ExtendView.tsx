import type { CSSProperties } from 'react';
import { EXTEND_SIDE_LABELS, EXTEND_SIDES, extensionLayout, growsRows, type ExtensionLayout } from '../../../../main/common/extension';
import { plural } from '../../lib/format';
import { useStudio, useStudioGetter, useStudioShallow } from '../../store/react';
import { NumberField } from '../common/NumberField';
import { Segmented } from '../common/Segmented';
import { CandidatesPanel } from '../generation/CandidatesPanel';

/** Places a block of cells on the grown canvas, in percentages of the frame. */
function placed(layout: ExtensionLayout, at: { column: number; row: number }, columns: number, rows: number): CSSProperties {
  return {
    left: `${(at.column / layout.columns) * 100}%`,
    top: `${(at.row / layout.rows) * 100}%`,
    width: `${(columns / layout.columns) * 100}%`,
    height: `${(rows / layout.rows) * 100}%`,
  };
}

/** Grow a gallery image on one side: choose the side and the amount, see where the new strip goes, then extend. */
export function ExtendView() {
  const getState = useStudioGetter();
  const { source, side, by } = useStudioShallow((state) => ({ source: state.extending.source, side: state.extending.side, by: state.extending.by }));
  const shape = useStudioShallow((state) => state.extending.shape());
  const most = useStudioShallow((state) => Object.fromEntries(EXTEND_SIDES.map((s) => [s, state.extending.most(s)])));
  const job = useStudio((state) => (state.generation.job?.kind === 'extend' ? state.generation.job : null));
  const busy = useStudio((state) => state.generation.isBusy());

  if (!source) {
    return (
      <section className="extend extend-empty" aria-label="Extend">
        <p>Choose an image in the gallery and press Extend to grow it on one side.</p>
      </section>
    );
  }
  const { grid, cellSize, columns, rows } = shape;
  const planned = extensionLayout({ columns, rows }, { side, by }, grid);
  const layout = 'refusal' in planned ? null : planned;
  const unit = growsRows(side) ? 'rows' : 'columns';
  const strip = layout && (growsRows(side) ? { columns: layout.columns, rows: by } : { columns: by, rows: layout.rows });
  const stripAt = layout && { column: side === 'right' ? columns : 0, row: side === 'bottom' ? rows : 0 };
  const preview = job?.status === 'running' ? job.previews[0] : undefined;
  const result = job?.status === 'done' ? job.candidates[0] : undefined;

  return (
    <section className="extend" aria-label="Extend">
      <div className="editor-stage extend-stage">
        <div className="editor-title">
          <span className="editor-source" title={source.parameters.prompt}>
            From the gallery · {source.parameters.prompt}
          </span>
          <span className="muted small">
            {layout ? `${columns} × ${rows} → ${layout.columns} × ${layout.rows} cells · ${layout.columns * cellSize} × ${layout.rows * cellSize} px` : ''}
          </span>
        </div>
        <div className="canvas-room">
          {layout && (
            <div
              className="extend-frame"
              role="img"
              aria-label={result ? `Extended image, best candidate: ${result.parameters.prompt}` : `Preview: the image with ${by} new ${unit} at the ${side}`}
              style={{ '--aspect': layout.columns / layout.rows } as CSSProperties}
            >
              {result ? (
                <img className="pixelated extend-layer" src={result.image} alt="" style={placed(layout, { column: 0, row: 0 }, layout.columns, layout.rows)} />
              ) : (
                <>
                  <div className="extend-strip extend-layer" style={placed(layout, stripAt!, strip!.columns, strip!.rows)}>
                    <span>+ {plural(by, unit.slice(0, -1))}</span>
                  </div>
                  <img className="pixelated extend-layer" src={source.url} alt="" style={placed(layout, layout.source, columns, rows)} />
                  {preview && <img className="pixelated extend-layer" src={preview} alt="" style={placed(layout, layout.window, grid, grid)} />}
                  <div className="extend-window extend-layer" style={placed(layout, layout.window, grid, grid)} title="The window the model draws the new strip in, with the kept cells beside it" />
                </>
              )}
            </div>
          )}
        </div>
        <div className="canvas-below muted small">
          {result ? 'The best candidate, saved to the gallery beside its source' : 'Dashed: the window of the model’s grid that draws the new strip from the cells kept beside it'}
        </div>
      </div>
      <div className="editor-side">
        <fieldset className="field">
          <legend>Extend side</legend>
          <Segmented
            label="Extend side"
            options={EXTEND_SIDES.map((option) => ({
              value: option,
              label: EXTEND_SIDE_LABELS[option],
              ...(most[option] === 0 ? { unavailable: `This image cannot grow at the ${option}: it is not one window across there, or it is as long as the studio makes it` } : {}),
            }))}
            value={side}
            onChange={(option) => getState().extending.setSide(option)}
          />
        </fieldset>
        <div className="field">
          <label className="field-label" htmlFor="extend-by">
            Extend by ({unit}, 1 to {most[side]})
          </label>
          <NumberField id="extend-by" label="Extend by" value={by} min={1} max={Math.max(1, most[side] ?? 1)} step={1} integer onCommit={(value) => value !== null && getState().extending.setBy(value)} />
          <span className="muted small">
            {plural(by, unit.slice(0, -1))} = {by * cellSize} px
          </span>
        </div>
        <button type="button" className="button button-primary regenerate-button" disabled={busy || !layout} onClick={() => void getState().extending.extend()}>
          Extend image
        </button>
        <button type="button" className="button" onClick={() => getState().extending.close()}>
          Back to the gallery
        </button>
        <CandidatesPanel place="extend" />
      </div>
    </section>
  );
}
