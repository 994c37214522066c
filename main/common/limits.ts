/** Sizes both sides of the contract check, so the renderer can refuse before sending. */

/** The largest file the studio imports (a dropped image). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export const megabytes = (bytes: number): string => `${Math.ceil(bytes / 1024 / 1024)} MB`;
