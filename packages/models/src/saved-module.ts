import { tf } from '@selfsup/backend';
import type { ModuleConfig } from './module.js';

/**
 * A module as it is saved, whatever the storage: its config (to rebuild the architecture), the
 * weights manifest and the weights' bytes (float32, in manifest order).
 */
export interface SavedModule {
  config: ModuleConfig;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/**
 * Where a module is saved or loaded: in Node a directory path or `file://` URL; on both platforms a
 * tfjs URL (`indexeddb://name`, `localstorage://name`, `downloads://name` to save, `http(s)://…/model.json`
 * to load) or a tfjs `IOHandler`.
 */
export type ModuleLocation = string | tf.io.IOHandler;

/** The `format` of a saved selfsup module, in model.json and in tfjs's model artifacts. */
export const SAVED_MODULE_FORMAT = 'selfsup-module';

/** A location, in words, for messages. */
export function describeLocation(location: ModuleLocation): string {
  return typeof location === 'string' ? location : 'the given IOHandler';
}

/**
 * The module as tfjs model artifacts, so any tfjs `IOHandler` (IndexedDB, downloads, memory) stores
 * it: the format version and config sit in `modelTopology`, the weights in `weightSpecs`/`weightData`.
 */
export function toModelArtifacts(saved: SavedModule): tf.io.ModelArtifacts {
  return {
    format: SAVED_MODULE_FORMAT,
    generatedBy: 'selfsup',
    modelTopology: { formatVersion: 1, config: saved.config },
    weightSpecs: saved.weightSpecs,
    weightData: saved.weightData,
  };
}

/**
 * The saved module in tfjs model artifacts ({@link toModelArtifacts}'s layout).
 * @throws naming `label` when the artifacts are not a selfsup module or their bytes do not match.
 */
export function fromModelArtifacts(artifacts: tf.io.ModelArtifacts, label: string): SavedModule {
  const topology = artifacts.modelTopology as { formatVersion?: unknown; config?: ModuleConfig } | undefined;
  if (artifacts.format !== SAVED_MODULE_FORMAT || topology?.formatVersion !== 1 || topology.config === undefined) {
    throw new Error(`${label}: not a selfsup module (format ${artifacts.format} v${String(topology?.formatVersion)})`);
  }
  const weightSpecs = artifacts.weightSpecs ?? [];
  const weightData =
    artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  checkWeightBytes(weightSpecs, weightData.byteLength, label);
  return { config: topology.config, weightSpecs, weightData };
}

/**
 * @throws naming `label` when `byteLength` is not what the float32 weights of `specs` need.
 */
export function checkWeightBytes(specs: tf.io.WeightsManifestEntry[], byteLength: number, label: string): void {
  const expected = specs.reduce((total, spec) => total + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (byteLength !== expected) {
    throw new Error(`${label}: ${byteLength} bytes, but the manifest needs ${expected} (truncated or mismatched)`);
  }
}

/** The save handler for a tfjs URL, or the handler itself. @throws naming `caller` when tfjs routes no handler. */
export function routedSaveHandler(location: ModuleLocation, caller: string, hint: string): tf.io.IOHandler {
  if (typeof location !== 'string') return location;
  const handler = tf.io.getSaveHandlers(location)[0];
  if (handler === undefined) throw new Error(`${caller}: no tfjs save handler for '${location}'; ${hint}`);
  return handler;
}

/** The load handler for a tfjs URL, or the handler itself. @throws naming `caller` when tfjs routes no handler. */
export function routedLoadHandler(location: ModuleLocation, caller: string, hint: string): tf.io.IOHandler {
  if (typeof location !== 'string') return location;
  const handler = tf.io.getLoadHandlers(location)[0];
  if (handler === undefined) throw new Error(`${caller}: no tfjs load handler for '${location}'; ${hint}`);
  return handler;
}

/** Saves through a tfjs IOHandler. */
export async function saveThroughHandler(handler: tf.io.IOHandler, saved: SavedModule, label: string): Promise<void> {
  if (handler.save === undefined) throw new Error(`${label}: this IOHandler cannot save`);
  await handler.save(toModelArtifacts(saved));
}

/** Loads through a tfjs IOHandler. */
export async function loadThroughHandler(handler: tf.io.IOHandler, label: string): Promise<SavedModule> {
  if (handler.load === undefined) throw new Error(`${label}: this IOHandler cannot load`);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (error) {
    throw new Error(`${label}: no saved module here (${(error as Error).message})`);
  }
  return fromModelArtifacts(artifacts, label);
}
