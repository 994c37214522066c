import type { ImageParameters } from '../api';
import { DEFAULT_VARIATION, type VariationKeep, type VariationParameters } from '../../../main/common/variation';
import { nextRequestSampling } from './settings';
import type { SliceCreator } from './slice';

/** The image variations start from: a gallery image or a finished run's candidate. */
export interface VariationSource {
  id: string;
  /** Where the page shows it. */
  url: string;
  parameters: ImageParameters;
}

export interface VariationsSlice {
  /** The image the open Variations dialog is for; null when it is closed. */
  source: VariationSource | null;
  strength: number;
  keep: VariationKeep;
  /** Starts as the source's prompt; the rest is resampled with whatever it says. */
  prompt: string;
  open(source: VariationSource): void;
  close(): void;
  setStrength(strength: number): void;
  setKeep(keep: VariationKeep): void;
  setPrompt(prompt: string): void;
  /** An image's variation parameters back into the controls ("Use these settings"). */
  useParameters(variation: VariationParameters): void;
  /** Starts the run (progress shows in the studio's candidates panel, like Generate) and closes the dialog. */
  make(): Promise<void>;
}

export const createVariationsSlice: SliceCreator<'variations'> = ({ set, own, get, deps }) => ({
  source: null,
  ...DEFAULT_VARIATION,
  prompt: '',
  open: (source) => {
    if (get().generation.isBusy()) {
      get().workspace.notify('info', 'A run is in progress: variations can start once it is done.');
      return;
    }
    set({ source, prompt: source.parameters.prompt });
  },
  close: () => set({ source: null }),
  setStrength: (strength) => set({ strength }),
  setKeep: (keep) => set({ keep }),
  setPrompt: (prompt) => set({ prompt }),
  useParameters: ({ strength, keep }) => set({ strength, keep }),
  make: async () => {
    const { source, strength, keep } = own();
    if (!source) return;
    const prompt = own().prompt.trim();
    if (!prompt) {
      get().workspace.notify('info', 'Write a prompt for the variations: the cells not kept are drawn from it.');
      return;
    }
    const request = nextRequestSampling(get().settings.state);
    if (!request) {
      get().workspace.notify('info', 'The studio is still starting; try again in a moment.');
      return;
    }
    set({ source: null });
    get().workspace.showView('studio');
    await get().generation.startJob('variation', prompt, request.settings.candidates, () =>
      deps.api.variations.make({ source: { kind: 'image', id: source.id }, prompt, strength, keep, ...get().prompt.negativeRequest(), ...request }),
    );
  },
});
