import { useEffect, useRef, type ReactNode } from 'react';

interface ModalDialogProps {
  open: boolean;
  /** The id of the heading that names the dialog. */
  labelledBy: string;
  /** Escape, or the dialog's own close button. */
  onClose(): void;
  children: ReactNode;
}

/** A native modal `<dialog>`: shown while `open` (the page behind it is inert), Escape closes it through `onClose`. */
export function ModalDialog({ open, labelledBy, onClose, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!open) return;
    dialog.current?.showModal();
    return () => dialog.current?.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={open ? labelledBy : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && children}
    </dialog>
  );
}
