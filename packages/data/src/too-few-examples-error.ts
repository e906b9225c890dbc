/** A file a folder dataset left out, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/**
 * A folder dataset holds fewer readable examples than one batch. The message counts what was read
 * and skipped; `skipped` says which files were left out and why, so a caller can report them.
 *
 * @example
 * try {
 *   await imageFolderDataset('photos', { batchSize: 64, size: [32, 32] });
 * } catch (error) {
 *   if (error instanceof TooFewExamplesError) for (const file of error.skipped) console.warn(file.path, file.reason);
 *   throw error;
 * }
 */
export class TooFewExamplesError extends Error {
  override readonly name = 'TooFewExamplesError';

  constructor(
    message: string,
    /** Readable examples found. */
    readonly examples: number,
    readonly batchSize: number,
    /** Files left out, in order, with the reason. */
    readonly skipped: readonly SkippedFile[] = [],
  ) {
    super(message);
  }
}
