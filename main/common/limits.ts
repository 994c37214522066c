/** Sizes both sides of the contract check, so the renderer can refuse before sending. */

/** The largest file the studio imports (a dropped image). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export const megabytes = (bytes: number): string => `${Math.ceil(bytes / 1024 / 1024)} MB`;

/** `812 KB`, `3.4 MB`, `1.21 GB`: download sizes and disk space, in 1024-byte units. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(bytes)} bytes`;
  return `${value >= 100 ? Math.round(value) : value.toFixed(value >= 10 ? 1 : 2)} ${units[unit]}`;
}

/**
 * Runs the studio's queue holds waiting behind the one in progress (a batch counts one per
 * prompt): a night's work, not an unbounded backlog. The engine keeps its own, smaller bound.
 */
export const MAX_WAITING_RUNS = 100;

/** Runs "more like this" adds: the source's next seeds. */
export const MORE_LIKE_THIS_COUNT = 4;
