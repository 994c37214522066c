import { useEffect, useState } from 'react';
import { useStudioGetter } from '../../store/react';

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/** Dropping an image anywhere opens it in the editor; the overlay says so while dragging. */
export function DropOverlay() {
  const getState = useStudioGetter();
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed; a depth count tells when the window is left.
    let depth = 0;
    // A drag cancelled outside the page may send no dragleave; dragover stops coming either way.
    let staleTimer: number | undefined;
    const hide = () => {
      depth = 0;
      setDragging(false);
    };
    const onDragEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) hide();
    };
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer!.dropEffect = 'copy';
      window.clearTimeout(staleTimer);
      staleTimer = window.setTimeout(hide, 1000);
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      window.clearTimeout(staleTimer);
      hide();
      const [file, ...others] = Array.from(event.dataTransfer!.files);
      if (!file) return;
      if (others.length > 0) getState().workspace.notify('info', `Opened “${file.name}”; drop one image at a time.`);
      file
        .arrayBuffer()
        .then((buffer) => getState().editor.openDroppedFile({ name: file.name, type: file.type, bytes: new Uint8Array(buffer) }))
        .catch((error: unknown) => getState().workspace.reportError(`Could not read “${file.name}”`, error));
    };
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
      window.clearTimeout(staleTimer);
    };
  }, [getState]);

  if (!dragging) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <strong>Drop to edit</strong>
        <span>PNG, JPEG or WebP · cropped to a square for the model</span>
      </div>
    </div>
  );
}
