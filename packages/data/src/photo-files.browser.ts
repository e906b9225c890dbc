/**
 * Listing the photographs installed on disk has no browser meaning: the error names the browser
 * alternative.
 */
export async function photoFiles(_paths?: readonly string[], _options: { minimum?: number } = {}): Promise<string[]> {
  throw new Error(
    'photoFiles lists photographs on disk, which is Node-only; in a browser pass File objects (from <input type="file"> or listImageFiles(directoryHandle) of @selfsup/augment) to readImages',
  );
}
