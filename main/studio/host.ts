/**
 * What differs between the Electron app and the loopback bridge: how images are addressed,
 * native dialogs, the file manager, and where events go. The domain handlers only see this.
 */
import type { EventPayload, Contract, Domain, ExportResult } from '../common/contract';
import type { ExportFile } from './export';

export interface Host {
  kind: 'electron' | 'bridge';
  /** The URL the renderer loads a gallery image from. */
  imageUrl(id: string): string;
  /** Shows a file or folder in the file manager; false where there is none (bridge). */
  reveal(filePath: string): Promise<boolean>;
  /** Puts an image file and its text on the system clipboard; false where main has none (bridge). */
  copyImage(filePath: string, text: string): Promise<boolean>;
  /** Electron: native save dialog (one file) or folder dialog (several). Bridge: downloads. */
  deliverExport(files: readonly ExportFile[], several: boolean): Promise<ExportResult>;
  /** A board's images. Electron: a new folder named after the board, in a folder picked with the native dialog. Bridge: one zip download. */
  deliverBoard(files: readonly ExportFile[], boardName: string): Promise<ExportResult>;
  /** Electron: a folder picked with the native dialog; null when cancelled or unavailable. */
  chooseFolder(title: string): Promise<string | null>;
  /** Electron: the data folder for the next launch; absent where the data folder is fixed (bridge). */
  nextDataDir?: { get(): string | null; set(dir: string): void };
}

/** The renderer that made a call, for what only it can do. */
export interface Caller {
  /** Electron: starts dragging the file out of the window. False where unsupported. */
  startDrag(filePath: string): boolean;
  /** Fires when whoever made the call is gone (the bridge's socket closed), so long work can stop. */
  signal?: AbortSignal;
}

export type EventName<D extends Domain> = {
  [K in keyof Contract[D]]: Contract[D][K] extends { kind: 'event' } ? K : never;
}[keyof Contract[D]];

/** Sends an event to every renderer (validated against the contract first). */
export type Emit = <D extends Domain, E extends EventName<D>>(domain: D, event: E, payload: EventPayload<D, E>) => void;
