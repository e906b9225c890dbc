// A page has no file system: `file://` saving and loading are Node-only. The same names exist so a
// shared module imports them on both platforms; they point at tfjs's browser schemes instead.
import type * as tf from '@tensorflow/tfjs';

/**
 * Node-only: a tfjs `IOHandler` for `file://` URLs. In a browser it throws, naming the schemes a
 * page has: `indexeddb://<name>` (kept across reloads) and `downloads://<name>` (a download).
 *
 * @throws always, in a browser.
 */
export function fileSystemIOHandler(url: string): tf.io.IOHandler {
  throw new Error(
    `fileSystemIOHandler('${url}') needs a file system and runs only in Node; in a browser save to 'indexeddb://<name>' (kept across reloads) or 'downloads://<name>' (a download)`,
  );
}

/**
 * In Node, routes `file://` URLs to {@link fileSystemIOHandler}. In a browser there is nothing to
 * route (tfjs routes `indexeddb://`, `localstorage://` and `downloads://` itself): a no-op.
 */
export function registerFileSystemRouter(): void {}
