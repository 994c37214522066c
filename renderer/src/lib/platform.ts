import type { Platform } from '../store';

/** The stores' view of the page: downloads, the clipboard and timers. */
export const browserPlatform: Platform = {
  download({ fileName, mimeType, bytes }) {
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    // The browser has taken its own reference by the time the click returns, but some need a tick.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  copyText: (text) => navigator.clipboard.writeText(text),
  async copyImage(url, text) {
    const png = await (await fetch(url)).blob();
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': png, 'text/plain': new Blob([text], { type: 'text/plain' }) })]);
  },
  setTimeout: (run, ms) => window.setTimeout(run, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};
