import type { ReactNode } from 'react';

/**
 * The room for the editor's square frame, the same for painting and for before/after so the
 * frame never changes size between them: as large a square as the space allows, with a line
 * below it for what goes with the frame.
 */
export function CanvasRoom({ children, below }: { children: ReactNode; below: ReactNode }) {
  return (
    <>
      <div className="canvas-room">{children}</div>
      <div className="canvas-below">{below}</div>
    </>
  );
}
