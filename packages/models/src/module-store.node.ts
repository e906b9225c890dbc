import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { tf } from '@selfsup/backend';
import { writeDirectoryAtomically } from '#atomic-directory';
import type { ModuleConfig } from './module.js';
import {
  checkWeightBytes,
  describeLocation,
  loadThroughHandler,
  type ModuleLocation,
  routedLoadHandler,
  routedSaveHandler,
  SAVED_MODULE_FORMAT,
  type SavedModule,
  saveThroughHandler,
} from './saved-module.js';

/** The model.json selfsup writes: the module's config plus tfjs's weights manifest. */
interface SavedModuleJson {
  format: typeof SAVED_MODULE_FORMAT;
  formatVersion: 1;
  config: ModuleConfig;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  /** A model.json saved through `downloads://` in a browser keeps the version and config here. */
  modelTopology?: { formatVersion?: 1; config?: ModuleConfig };
}

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
const HINT = 'give a directory path, a file:// URL or an IOHandler (indexeddb:// needs a browser)';

/** A directory from a path or a `file://` URL; undefined for another tfjs URL (`indexeddb://…`). */
function directoryOf(location: string): string | undefined {
  if (location.startsWith('file://')) return location.slice('file://'.length);
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? undefined : location;
}

/**
 * Writes a saved module to `location`: a directory (path or `file://`) gets `model.json` and
 * `weights.bin`, atomically (a crash never leaves a half-written directory); a tfjs URL or
 * IOHandler gets tfjs's model artifacts.
 */
export async function writeSavedModule(location: ModuleLocation, saved: SavedModule): Promise<void> {
  const dir = typeof location === 'string' ? directoryOf(location) : undefined;
  if (dir === undefined) {
    const label = describeLocation(location);
    await saveThroughHandler(routedSaveHandler(location, `saveModule(${label})`, HINT), saved, label);
    return;
  }
  const json: SavedModuleJson = {
    format: SAVED_MODULE_FORMAT,
    formatVersion: 1,
    config: saved.config,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: saved.weightSpecs }],
  };
  await writeDirectoryAtomically(dir, {
    [MODEL_JSON]: `${JSON.stringify(json, null, 2)}\n`,
    [WEIGHTS_BIN]: new Uint8Array(saved.weightData),
  });
}

/**
 * Reads the saved module at `location` (see {@link writeSavedModule}); a directory may also hold a
 * `model.json` a browser exported through `downloads://`.
 * @throws naming the directory or file when there is no saved module or its bytes do not match.
 */
export async function readSavedModule(location: ModuleLocation): Promise<SavedModule> {
  const dir = typeof location === 'string' ? directoryOf(location) : undefined;
  if (dir === undefined) {
    const label = describeLocation(location);
    return loadThroughHandler(routedLoadHandler(location, `loadModule(${label})`, HINT), label);
  }
  let text: string;
  try {
    text = await readFile(join(dir, MODEL_JSON), 'utf8');
  } catch (error) {
    throw new Error(
      `${dir}: no saved module here (cannot read ${MODEL_JSON}: ${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let json: SavedModuleJson;
  try {
    json = JSON.parse(text) as SavedModuleJson;
  } catch (error) {
    throw new Error(`${join(dir, MODEL_JSON)}: not valid JSON (${(error as Error).message})`);
  }
  const formatVersion = json.formatVersion ?? json.modelTopology?.formatVersion;
  const config = json.config ?? json.modelTopology?.config;
  if (json.format !== SAVED_MODULE_FORMAT || formatVersion !== 1 || config === undefined) {
    throw new Error(`${join(dir, MODEL_JSON)}: not a selfsup module (format ${json.format} v${formatVersion})`);
  }
  const manifest = json.weightsManifest[0];
  if (manifest === undefined) throw new Error(`${join(dir, MODEL_JSON)}: empty weights manifest`);
  const bytes = await readFile(join(dir, manifest.paths[0] ?? WEIGHTS_BIN));
  checkWeightBytes(manifest.weights, bytes.length, join(dir, WEIGHTS_BIN));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { config, weightSpecs: manifest.weights, weightData };
}
