import type { PartiApi } from '../main/common/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser (use the bridge client). */
    parti?: PartiApi;
  }
}
