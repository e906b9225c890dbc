import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type NamedTensorMap, type Tensor, tf } from '@selfsup/backend';
import { writeDirectoryAtomically } from './atomic-directory.js';
import { createFrameFusionHead } from './frame-fusion-head.js';
import { createFrameStackEncoder, type FrameStackEncoderOptions } from './frame-stack-encoder.js';
import { createLinearClassifier, createMlpHead } from './heads.js';
import type { Encoder, Head, Module, ModuleConfig } from './module.js';
import { parameterName } from './parameters.js';
import { createResNet18 } from './resnet18.js';
import { createSmallCnn } from './small-cnn.js';
import { createTextEncoderDecoder } from './text-encoder-decoder.js';
import { createTextTransformer } from './text-transformer.js';
import { createVitTiny } from './vit-tiny.js';
import { createWord2Vec } from './word2vec.js';

/** The model.json selfsup writes: tfjs's weights manifest plus the module's config. */
interface SavedModuleJson {
  format: 'selfsup-module';
  formatVersion: 1;
  config: ModuleConfig;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Every variable of a module by its parameter name (state variables included). */
export function namedVariables(module: Module): Map<string, tf.Variable> {
  return new Map([...module.trainableVariables, ...module.stateVariables].map((v) => [parameterName(v), v]));
}

/**
 * Saves a module's config and weights (trainable and state) into `dir` in tfjs's layout
 * (`model.json` with a weights manifest, `weights.bin`), atomically: a crash never leaves a
 * half-written directory.
 *
 * @example
 * await saveModule(encoder, 'runs/first/encoder');
 * const again = await loadModule('runs/first/encoder');
 */
export async function saveModule(module: Module, location: string): Promise<void> {
  const dir = pathOf(location);
  const tensors: NamedTensorMap = {};
  for (const [name, variable] of namedVariables(module)) tensors[name] = variable;
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const json: SavedModuleJson = {
    format: 'selfsup-module',
    formatVersion: 1,
    config: module.config,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
  };
  await writeDirectoryAtomically(dir, {
    [MODEL_JSON]: `${JSON.stringify(json, null, 2)}\n`,
    [WEIGHTS_BIN]: new Uint8Array(data),
  });
}

/** A directory from a path or a `file://` URL. */
function pathOf(location: string): string {
  return location.startsWith('file://') ? location.slice('file://'.length) : location;
}

async function readSaved(location: string): Promise<{ json: SavedModuleJson; weights: NamedTensorMap }> {
  const dir = pathOf(location);
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
  if (json.format !== 'selfsup-module' || json.formatVersion !== 1) {
    throw new Error(`${join(dir, MODEL_JSON)}: not a selfsup module (format ${json.format} v${json.formatVersion})`);
  }
  const manifest = json.weightsManifest[0];
  if (manifest === undefined) throw new Error(`${join(dir, MODEL_JSON)}: empty weights manifest`);
  const bytes = await readFile(join(dir, manifest.paths[0] ?? WEIGHTS_BIN));
  const expected = manifest.weights.reduce((total, spec) => total + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bytes.length !== expected) {
    throw new Error(
      `${join(dir, WEIGHTS_BIN)}: ${bytes.length} bytes, but the manifest needs ${expected} (truncated or mismatched)`,
    );
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { json, weights: tf.io.decodeWeights(buffer, manifest.weights) };
}

/**
 * Loads saved weights into an existing module with the same architecture.
 * @throws naming the directory and the first parameter that is missing or has another shape.
 */
export async function loadModuleWeights(module: Module, dir: string): Promise<void> {
  const { weights } = await readSaved(dir);
  try {
    const variables = namedVariables(module);
    for (const [name, variable] of variables) {
      const saved = weights[name] as Tensor | undefined;
      if (saved === undefined) throw new Error(`${dir}: the saved module has no parameter ${name}`);
      if (saved.shape.join() !== variable.shape.join()) {
        throw new Error(
          `${dir}: parameter ${name} is [${saved.shape}] in the file but [${variable.shape}] in the module`,
        );
      }
    }
    for (const [name, variable] of variables) variable.assign(weights[name] as Tensor);
  } finally {
    tf.dispose(Object.values(weights));
  }
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

/** Rebuilds a saved module (encoder or head) from its directory, weights included. */
export async function loadModule(dir: string): Promise<Module> {
  const { json, weights } = await readSaved(dir);
  tf.dispose(Object.values(weights));
  const module = createModule(json.config);
  try {
    await loadModuleWeights(module, dir);
  } catch (error) {
    module.dispose();
    throw error;
  }
  return module;
}

/** {@link loadModule} for an encoder: the one call a downstream script needs. */
export async function loadEncoder(dir: string): Promise<Encoder> {
  const module = await loadModule(dir);
  if (!('featureSize' in module)) {
    module.dispose();
    throw new Error(`${dir}: the saved module is a ${module.config.kind}, not an encoder`);
  }
  return module as Encoder;
}

/** {@link loadModule} for a head. */
export async function loadHead(dir: string): Promise<Head> {
  const module = await loadModule(dir);
  if (!('outputSize' in module)) {
    module.dispose();
    throw new Error(`${dir}: the saved module is a ${module.config.kind}, not a head`);
  }
  return module as Head;
}
