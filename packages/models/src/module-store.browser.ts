import {
  describeLocation,
  loadThroughHandler,
  type ModuleLocation,
  routedLoadHandler,
  routedSaveHandler,
  type SavedModule,
  saveThroughHandler,
} from './saved-module.js';

/** A tfjs URL scheme (`indexeddb://`, `downloads://`, `https://`). */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function checkLocation(location: ModuleLocation, caller: string): void {
  if (typeof location === 'string' && !URL_SCHEME.test(location)) {
    throw new Error(
      `${caller}('${location}'): a directory path needs a file system (Node-only); in a browser pass a tfjs URL ('indexeddb://${location}', 'downloads://${location.split('/').at(-1) || 'model'}') or an IOHandler`,
    );
  }
}

const HINT =
  "in a browser use 'indexeddb://<name>', 'localstorage://<name>', 'downloads://<name>' (save) or 'https://…/model.json' (load), or pass an IOHandler";

/**
 * Writes a saved module through tfjs's IO handlers: `indexeddb://name` (tfjs's IndexedDB store),
 * `downloads://name` (a `name.json` + `name.weights.bin` download), or any IOHandler.
 * @throws for a bare directory path, naming the browser alternatives.
 */
export async function writeSavedModule(location: ModuleLocation, saved: SavedModule): Promise<void> {
  checkLocation(location, 'saveModule');
  const label = describeLocation(location);
  await saveThroughHandler(routedSaveHandler(location, `saveModule(${label})`, HINT), saved, label);
}

/**
 * Reads a saved module through tfjs's IO handlers (`indexeddb://name`, an http(s) URL, an IOHandler
 * such as `tf.io.browserFiles([json, weights])`).
 * @throws for a bare directory path, and naming the location when it holds no selfsup module.
 */
export async function readSavedModule(location: ModuleLocation): Promise<SavedModule> {
  checkLocation(location, 'loadModule');
  const label = describeLocation(location);
  return loadThroughHandler(routedLoadHandler(location, `loadModule(${label})`, HINT), label);
}
