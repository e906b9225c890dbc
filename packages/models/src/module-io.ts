import { type NamedTensorMap, type Tensor, tf } from '@selfsup/backend';
import { readSavedModule, writeSavedModule } from '#module-store';
import { createFrameFusionHead } from './frame-fusion-head.js';
import { createFrameStackEncoder, type FrameStackEncoderOptions } from './frame-stack-encoder.js';
import { createLinearClassifier, createMlpHead } from './heads.js';
import type { Encoder, Head, Module, ModuleConfig } from './module.js';
import { parameterName } from './parameters.js';
import { createResNet18 } from './resnet18.js';
import { describeLocation, type ModuleLocation } from './saved-module.js';
import { createSmallCnn } from './small-cnn.js';
import { createTextEncoderDecoder } from './text-encoder-decoder.js';
import { createTextTransformer } from './text-transformer.js';
import { createVitTiny } from './vit-tiny.js';
import { createWord2Vec } from './word2vec.js';

/** Every variable of a module by its parameter name (state variables included). */
export function namedVariables(module: Module): Map<string, tf.Variable> {
  return new Map([...module.trainableVariables, ...module.stateVariables].map((v) => [parameterName(v), v]));
}

/**
 * Saves a module's config and weights (trainable and state) to `location`:
 * - in Node, a directory path or `file://` URL gets tfjs's layout (`model.json` with a weights
 *   manifest, `weights.bin`), atomically: a crash never leaves a half-written directory;
 * - on both platforms, a tfjs URL or `IOHandler`: in a browser `indexeddb://name` (tfjs's
 *   IndexedDB store) or `downloads://name` (an export the user keeps; Node's `loadModule` reads
 *   the downloaded pair once it sits in a directory as `model.json` + the weights file it names).
 *
 * @example
 * await saveModule(encoder, 'runs/first/encoder'); // Node
 * await saveModule(encoder, 'indexeddb://first-encoder'); // a browser
 * const again = await loadModule('runs/first/encoder');
 * @throws in a browser for a bare directory path, naming the browser alternatives.
 */
export async function saveModule(module: Module, location: ModuleLocation): Promise<void> {
  const tensors: NamedTensorMap = {};
  for (const [name, variable] of namedVariables(module)) tensors[name] = variable;
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await writeSavedModule(location, { config: module.config, weightSpecs: specs, weightData: data });
}

/** The saved module at `location`, its weights decoded (the caller disposes them). */
async function readSaved(location: ModuleLocation): Promise<{ config: ModuleConfig; weights: NamedTensorMap }> {
  const saved = await readSavedModule(location);
  return { config: saved.config, weights: tf.io.decodeWeights(saved.weightData, saved.weightSpecs) };
}

/** Assigns decoded `weights` to the module's variables, all or none; disposes `weights`. */
function assignWeights(module: Module, weights: NamedTensorMap, label: string): void {
  try {
    const variables = namedVariables(module);
    for (const [name, variable] of variables) {
      const saved = weights[name] as Tensor | undefined;
      if (saved === undefined) throw new Error(`${label}: the saved module has no parameter ${name}`);
      if (saved.shape.join() !== variable.shape.join()) {
        throw new Error(
          `${label}: parameter ${name} is [${saved.shape}] in the file but [${variable.shape}] in the module`,
        );
      }
    }
    for (const [name, variable] of variables) variable.assign(weights[name] as Tensor);
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/**
 * Loads saved weights into an existing module with the same architecture, from a location as
 * {@link saveModule} takes it.
 * @throws naming the location and the first parameter that is missing or has another shape.
 */
export async function loadModuleWeights(module: Module, location: ModuleLocation): Promise<void> {
  const { weights } = await readSaved(location);
  assignWeights(module, weights, describeLocation(location));
}

/**
 * A saved module's config, weights assigned to a module built from it by `build` (which may refuse
 * the config by throwing); the module is disposed when the weights do not fit.
 */
export async function rebuildSavedModule<M extends Module>(
  location: ModuleLocation,
  build: (config: ModuleConfig) => M,
): Promise<M> {
  const { config, weights } = await readSaved(location);
  let module: M;
  try {
    module = build(config);
  } catch (error) {
    tf.dispose(Object.values(weights));
    throw error;
  }
  try {
    assignWeights(module, weights, describeLocation(location));
  } catch (error) {
    module.dispose();
    throw error;
  }
  return module;
}

const FACTORIES: Record<string, (options: Record<string, unknown>) => Module> = {
  'small-cnn': (options) => createSmallCnn(options),
  resnet18: (options) => createResNet18(options),
  vit: (options) => createVitTiny(options),
  'text-transformer': (options) => createTextTransformer(options as never),
  'text-encoder-decoder': (options) => createTextEncoderDecoder(options as never),
  word2vec: (options) => createWord2Vec(options as never),
  'frame-stack-encoder': (options) =>
    createFrameStackEncoder({
      ...(options as Omit<FrameStackEncoderOptions, 'frameEncoder'>),
      frameEncoder: createModule(options.frameEncoder as ModuleConfig) as Encoder,
    }),
  'frame-fusion-head': (options) => createFrameFusionHead(options as never),
  'mlp-head': (options) => createMlpHead(options as never),
  'projection-head': (options) => createMlpHead(options as never, 'projection-head'),
  'predictor-head': (options) => createMlpHead(options as never, 'predictor-head'),
  'linear-classifier': (options) => createLinearClassifier(options as never),
};

/** Builds a module from its config (`module.config`), with fresh weights. */
export function createModule(config: ModuleConfig): Module {
  const factory = FACTORIES[config.kind];
  if (factory === undefined) {
    throw new Error(`createModule: '${config.kind}' is not a module kind; known: ${Object.keys(FACTORIES).join(', ')}`);
  }
  return factory(config.options);
}

/**
 * Rebuilds a saved module (encoder or head) from a location as {@link saveModule} takes it
 * (a directory in Node; `indexeddb://name`, an http(s) URL or an IOHandler on both platforms),
 * weights included.
 * @example const head = await loadModule('indexeddb://probe-head');
 */
export async function loadModule(location: ModuleLocation): Promise<Module> {
  return rebuildSavedModule(location, createModule);
}

/** {@link loadModule} for an encoder: the one call a downstream script needs. */
export async function loadEncoder(location: ModuleLocation): Promise<Encoder> {
  const module = await loadModule(location);
  if (!('featureSize' in module)) {
    module.dispose();
    throw new Error(`${describeLocation(location)}: the saved module is a ${module.config.kind}, not an encoder`);
  }
  return module as Encoder;
}

/** {@link loadModule} for a head. */
export async function loadHead(location: ModuleLocation): Promise<Head> {
  const module = await loadModule(location);
  if (!('outputSize' in module)) {
    module.dispose();
    throw new Error(`${describeLocation(location)}: the saved module is a ${module.config.kind}, not a head`);
  }
  return module as Head;
}
