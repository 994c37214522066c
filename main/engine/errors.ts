/**
 * The one error type the engine throws on purpose. `code` is stable (IPC and the command
 * line switch on it); `message` is one line meant for people.
 */
export const ENGINE_ERROR_CODES = [
  'PACKAGE_NOT_FOUND', // no package with that id / no manifest in the folder
  'PACKAGE_INVALID', // manifest unreadable or failing the schema, unknown format
  'PACKAGE_VERSION', // a formatVersion this engine does not know
  'FILE_MISSING', // a file listed in the manifest is absent
  'FILE_TRUNCATED', // a file of another size than the manifest says
  'FILE_CORRUPT', // a file whose sha256 differs
  'GRAPH_MISMATCH', // an ONNX graph whose inputs/outputs differ from the manifest
  'NO_IMAGE_ENCODER', // editing an outside image with a model folder that has no image encoder
  'BAD_REQUEST', // a request the engine cannot honour (bad settings, unreadable image)
  'QUEUE_FULL', // too many requests already waiting
  'CANCELLED', // the caller's AbortSignal fired
  'ENGINE_STOPPED', // the engine's own process died mid-job (native crash, out of memory, killed)
] as const;
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isEngineError(error: unknown, code?: EngineErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

/** Throws CANCELLED when the signal has fired; called between steps of every long job. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('CANCELLED', 'Generation cancelled.');
}
