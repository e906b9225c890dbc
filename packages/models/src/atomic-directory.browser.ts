/**
 * Node-only: writes files into a directory atomically. A page has no directories to swap; it
 * stores modules with `saveModule(module, 'indexeddb://name')` (tfjs's IndexedDB handler) and
 * trainer checkpoints with `saveCheckpoint` (an IndexedDB store with the same complete-last rule).
 * @throws always, naming the browser alternatives.
 */
export async function writeDirectoryAtomically(
  dir: string,
  _files: Record<string, Uint8Array | string>,
): Promise<void> {
  throw new Error(
    `writeDirectoryAtomically('${dir}') is Node-only (it needs a file system); in a browser save modules with saveModule(module, 'indexeddb://<name>') and checkpoints with saveCheckpoint`,
  );
}
