import { MAX_IMPORT_BYTES, megabytes } from '../../../main/common/limits';
import type { GalleryItem, ImageParameters } from '../api';
import { clampBrushSize, rasteriseMask, type MaskAction, type MaskTool } from '../lib/mask';
import { FALLBACK_MODEL, nextRequestSampling } from './settings';
import type { SliceCreator } from './slice';

export interface EditorSource {
  /** `image`: a gallery item; `import`: a dropped file, prepared by main. */
  kind: 'image' | 'import';
  id: string;
  imageUrl: string;
  /** What the user sees as the source's name. */
  title: string;
  parameters: ImageParameters | null;
}

export interface DroppedImageFile {
  name: string;
  type: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface EditorSlice {
  source: EditorSource | null;
  /** Every stroke, clear and invert since opening: the mask is their replay. */
  actions: MaskAction[];
  redoStack: MaskAction[];
  tool: MaskTool;
  brushSize: number;
  /** The token cells the mask selects, as the engine counts them. */
  cells: number[];
  /** Shows the source and the chosen candidate side by side. */
  comparing: boolean;
  openImage(item: GalleryItem): void;
  /** Reopens a source with its mask, as the page held them before a reload; false when the image is gone. */
  reopen(source: EditorSource, actions: MaskAction[]): Promise<boolean>;
  /** Opens a dropped PNG/JPEG/WebP; a PNG made here also offers its settings. */
  openDroppedFile(file: DroppedImageFile): Promise<void>;
  close(): void;
  addAction(action: MaskAction): void;
  undo(): void;
  redo(): void;
  clear(): void;
  invert(): void;
  /** Marks a token cell for regenerating, or clears it when it is marked: painting from the keyboard. */
  toggleCell(cell: number): void;
  setTool(tool: MaskTool): void;
  setBrushSize(size: number): void;
  resizeBrush(step: number): void;
  setComparing(comparing: boolean): void;
  /** The current mask at the model's resolution. */
  mask(): { width: number; height: number; data: Uint8Array<ArrayBuffer> };
  regenerate(): Promise<void>;
}

const OPENABLE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);
const OPENABLE_EXTENSION = /\.(png|jpe?g|webp)$/i;

export function isOpenableImage(file: { name: string; type: string }): boolean {
  return OPENABLE_TYPES.has(file.type) || (file.type === '' && OPENABLE_EXTENSION.test(file.name));
}

export const createEditorSlice: SliceCreator<'editor'> = ({ set, own, get, deps }) => {
  // Each mask change asks main for its cells; only the newest answer is shown.
  let cellsRequest = 0;
  const modelShape = () => get().settings.state?.runtime.model ?? FALLBACK_MODEL;

  const updateCells = async () => {
    const request = ++cellsRequest;
    const mask = own().mask();
    if (!mask.data.includes(1)) {
      set({ cells: [] });
      return;
    }
    try {
      const { cells } = await deps.api.edit.maskCells({ mask });
      if (request === cellsRequest) set({ cells });
    } catch (error) {
      get().workspace.reportError('Could not work out the cells to regenerate', error);
    }
  };
  const changeMask = (actions: MaskAction[], redoStack: MaskAction[]) => {
    set({ actions, redoStack });
    void updateCells();
  };
  // The offer of a dropped file's settings speaks of that file: it goes when another opens or the editor closes.
  let settingsOfferId: number | null = null;
  const withdrawSettingsOffer = () => {
    if (settingsOfferId !== null) get().workspace.dismiss(settingsOfferId);
    settingsOfferId = null;
  };
  const show = (source: EditorSource, actions: MaskAction[]) => {
    set({ source, actions, redoStack: [], cells: [], comparing: false });
    get().workspace.showView('editor');
  };
  /** Opening another image stops the run in progress: its candidates would belong to the old one. */
  const open = (source: EditorSource, prompt: string | null) => {
    withdrawSettingsOffer();
    if (get().generation.isBusy()) void get().generation.cancel();
    show(source, []);
    if (prompt !== null) get().prompt.setText(prompt);
  };

  return {
    source: null,
    actions: [],
    redoStack: [],
    tool: 'brush',
    brushSize: 8,
    cells: [],
    comparing: false,
    openImage: (item) => {
      const { extension } = item.parameters;
      if (extension && extension.columns !== extension.rows) {
        // The mask and its cells are one square window of the model's grid; an extension is wider or taller.
        get().workspace.notify('info', `The editor paints square images, and this extension is ${extension.columns} × ${extension.rows} cells: extend it again, or export it.`);
        return;
      }
      open({ kind: 'image', id: item.id, imageUrl: item.url, title: item.parameters.prompt, parameters: item.parameters }, item.parameters.prompt);
    },
    reopen: async (source, actions) => {
      if (source.kind === 'image') {
        const exists = await deps.api.gallery.get({ id: source.id }).then(() => true, () => false);
        if (!exists) return false;
      }
      // The same editing session, reloaded: a run it started goes on.
      show(source, actions);
      void updateCells();
      return true;
    },
    openDroppedFile: async (file) => {
      const workspace = get().workspace;
      if (!isOpenableImage(file)) {
        withdrawSettingsOffer();
        workspace.notify('error', `“${file.name}” is not an image the studio can open. Drop a PNG, JPEG or WebP file.`);
        return;
      }
      if (file.bytes.length > MAX_IMPORT_BYTES) {
        // Main would refuse it too, but over the bridge a message this big is cut off with the connection.
        workspace.notify('error', `“${file.name}” is ${megabytes(file.bytes.length)}; the studio opens images of up to ${megabytes(MAX_IMPORT_BYTES)}.`);
        return;
      }
      try {
        const imported = await deps.api.files.importImage({ name: file.name, bytes: file.bytes });
        const { parameters } = imported;
        open(
          { kind: 'import', id: imported.importId, imageUrl: imported.image, title: file.name, parameters },
          parameters?.prompt ?? null,
        );
        if (parameters) {
          settingsOfferId = workspace.notify('info', `“${file.name}” was made with Parti Studio.`, {
            label: 'Use its settings',
            run: () => get().prompt.useParameters(parameters),
          });
        }
      } catch (error) {
        workspace.reportError(`Could not open “${file.name}”`, error);
      }
    },
    close: () => {
      withdrawSettingsOffer();
      set({ source: null, actions: [], redoStack: [], cells: [], comparing: false });
      get().workspace.showView('studio');
    },
    addAction: (action) => changeMask([...own().actions, action], []),
    undo: () => {
      const { actions, redoStack } = own();
      const last = actions.at(-1);
      if (last) changeMask(actions.slice(0, -1), [...redoStack, last]);
    },
    redo: () => {
      const { actions, redoStack } = own();
      const next = redoStack.at(-1);
      if (next) changeMask([...actions, next], redoStack.slice(0, -1));
    },
    clear: () => {
      if (own().actions.length > 0) own().addAction({ kind: 'clear' });
    },
    invert: () => own().addAction({ kind: 'invert' }),
    toggleCell: (cell) => own().addAction({ kind: 'cells', cells: [cell], masked: !own().cells.includes(cell) }),
    setTool: (tool) => set({ tool }),
    setBrushSize: (size) => set({ brushSize: clampBrushSize(size) }),
    resizeBrush: (step) => set({ brushSize: clampBrushSize(own().brushSize + step) }),
    setComparing: (comparing) => set({ comparing }),
    mask: () => {
      const { resolution, grid } = modelShape();
      return { width: resolution, height: resolution, data: rasteriseMask(own().actions, resolution, grid) };
    },
    regenerate: async () => {
      const { source } = own();
      const workspace = get().workspace;
      if (!source) return;
      const prompt = get().prompt.text.trim();
      if (!prompt) {
        workspace.notify('info', 'Write a prompt for the painted area first.');
        return;
      }
      const mask = own().mask();
      if (!mask.data.includes(1)) {
        workspace.notify('info', 'Paint over the part to regenerate first.');
        return;
      }
      const request = nextRequestSampling(get().settings.state);
      if (!request) return;
      await get().generation.startJob('edit', prompt, request.settings.candidates, () =>
        deps.api.edit.regenerate({ source: { kind: source.kind, id: source.id }, prompt, mask, ...get().prompt.negativeRequest(), ...request }),
      );
    },
  };
};
