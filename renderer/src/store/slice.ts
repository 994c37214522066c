/**
 * The plumbing shared by the store's slices. Each concern (prompt, generation, gallery,
 * editor, settings, workspace) owns one nested slice of the state with its own actions, and
 * reads the others through `get()`.
 */
import type { PartiApi } from '../api';
import type { BoardsSlice } from './boards';
import type { EditorSlice } from './editor';
import type { ExportSlice } from './export';
import type { ExtendSlice } from './extend';
import type { GallerySlice } from './gallery';
import type { GenerationSlice } from './generation';
import type { InspectorSlice } from './inspector';
import type { ModelsSlice } from './models';
import type { PromptSlice } from './prompt';
import type { QueueSlice } from './queue';
import type { SettingsSlice } from './settings';
import type { VariationsSlice } from './variations';
import type { WorkspaceSlice } from './workspace';

export interface StudioState {
  prompt: PromptSlice;
  generation: GenerationSlice;
  queue: QueueSlice;
  gallery: GallerySlice;
  boards: BoardsSlice;
  editor: EditorSlice;
  extending: ExtendSlice;
  inspector: InspectorSlice;
  settings: SettingsSlice;
  models: ModelsSlice;
  exporting: ExportSlice;
  variations: VariationsSlice;
  workspace: WorkspaceSlice;
}

export interface DownloadFile {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** What the stores need from the page itself, kept out so that they run as plain TypeScript. */
export interface Platform {
  download(file: DownloadFile): void;
  copyText(text: string): Promise<void>;
  /** The image at `url` as PNG, with `text` beside it, on the clipboard (the page's Clipboard API). */
  copyImage(url: string, text: string): Promise<void>;
  /** Delays for debouncing; tests pass a synchronous or fake-timer version. */
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Where unsaved work (the prompt draft, the editor's mask) outlives a reload: the tab's session storage. */
  session: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export interface StudioDeps {
  api: PartiApi;
  platform: Platform;
}

type Patch<T> = Partial<T> | ((slice: T) => Partial<T>);

export interface SliceTools<K extends keyof StudioState> {
  /** Shallow-merges into this slice only. */
  set(patch: Patch<StudioState[K]>): void;
  /** This slice, current. */
  own(): StudioState[K];
  get(): StudioState;
  deps: StudioDeps;
}

export type SliceCreator<K extends keyof StudioState> = (tools: SliceTools<K>) => StudioState[K];

/** A readable message for anything a call rejected with. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
