import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFrameFusionHead } from './frame-fusion-head.js';
import { createFrameStackEncoder } from './frame-stack-encoder.js';
import { createProjectionHead } from './heads.js';
import { loadEncoder, loadHead, loadModuleWeights, saveModule } from './module-io.js';
import { createSmallCnn } from './small-cnn.js';
import { createVitTiny } from './vit-tiny.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('saving and loading modules', () => {
  it('round-trips an encoder with its running statistics and gives the same features', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'models-')), 'encoder');
    const encoder = createSmallCnn({ widths: [8, 16], strides: [1, 2], seed: 4 });
    const inputs = createRng(1).uniformTensor([4, 28, 28, 1]);
    tf.dispose(encoder.apply(inputs, { training: true })); // moves the running statistics
    await saveModule(encoder, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadEncoder(dir);
    const expected = tf.tidy(() => Array.from(encoder.apply(inputs, { training: false }).dataSync()));
    const actual = tf.tidy(() => Array.from(loaded.apply(inputs, { training: false }).dataSync()));
    expect(actual).toEqual(expected);
    // Saving again replaces the directory atomically and leaves no temporary siblings.
    await saveModule(loaded, dir);
    expect(readdirSync(join(dir, '..')).filter((name) => name.startsWith('.'))).toEqual([]);
    tf.dispose([inputs]);
    encoder.dispose();
    loaded.dispose();
  });

  it('round-trips a frame-stack encoder (with its frame encoder inside) and a frame-fusion head', async () => {
    const root = mkdtempSync(join(tmpdir(), 'models-'));
    const frameEncoder = createSmallCnn({ inputShape: [12, 12, 3], widths: [4, 8], strides: [1, 2], seed: 3 });
    const stack = createFrameStackEncoder({ frameEncoder, frames: 3, pooling: 'mean' });
    const head = createFrameFusionHead({ inputSize: 8, items: 3, outputSize: 2, hiddenSize: 6, itemHiddenSize: 5 });
    const clips = createRng(2).uniformTensor([2, 3, 12, 12, 3]);
    await saveModule(stack, join(root, 'stack'));
    await saveModule(head, join(root, 'head'));
    const stackAgain = await loadEncoder(join(root, 'stack'));
    const headAgain = await loadHead(join(root, 'head'));
    expect(stackAgain.inputShape).toEqual([3, 12, 12, 3]);
    const before = tf.memory().numTensors;
    const [expected, actual] = tf.tidy(() => [
      Array.from(
        head
          .apply(tf.reshape(stack.apply(clips, { training: false }), [2, 8]).tile([3, 1]), { training: false })
          .dataSync(),
      ),
      Array.from(
        headAgain
          .apply(tf.reshape(stackAgain.apply(clips, { training: false }), [2, 8]).tile([3, 1]), { training: false })
          .dataSync(),
      ),
    ]);
    expect(actual).toEqual(expected);
    expect(tf.memory().numTensors).toBe(before);
    clips.dispose();
    for (const module of [stack, head, stackAgain, headAgain]) module.dispose();
  });

  it('round-trips a ViT and a head', async () => {
    const root = mkdtempSync(join(tmpdir(), 'models-'));
    const vit = createVitTiny({ inputShape: [8, 8, 1], patchSize: 4, dim: 8, depth: 1, heads: 2, seed: 2 });
    await saveModule(vit, join(root, 'vit'));
    const vitAgain = await loadEncoder(join(root, 'vit'));
    expect(vitAgain.featureSize).toBe(8);
    const head = createProjectionHead({ inputSize: 8, hiddenSize: 8, outputSize: 4 });
    await saveModule(head, `file://${join(root, 'head')}`);
    const headAgain = await loadHead(`file://${join(root, 'head')}`);
    expect(headAgain.outputSize).toBe(4);
    await expect(loadHead(join(root, 'vit'))).rejects.toThrow(/is a vit, not a head/);
    for (const m of [vit, vitAgain, head, headAgain]) m.dispose();
  });

  it('refuses mismatched architectures, truncated weights and missing directories, naming the problem', async () => {
    const root = mkdtempSync(join(tmpdir(), 'models-'));
    const small = createSmallCnn({ widths: [8], strides: [1] });
    await saveModule(small, join(root, 'small'));
    const wider = createSmallCnn({ widths: [16], strides: [1] });
    await expect(loadModuleWeights(wider, join(root, 'small'))).rejects.toThrow(
      /parameter small_cnn\/block1\/conv\/kernel is \[3,3,1,8\] in the file but \[3,3,1,16\] in the module/,
    );
    writeFileSync(join(root, 'small', 'weights.bin'), new Uint8Array(10));
    await expect(loadEncoder(join(root, 'small'))).rejects.toThrow(/weights.bin: 10 bytes, but the manifest needs/);
    await expect(loadEncoder(join(root, 'absent'))).rejects.toThrow(
      /absent: no saved module here \(cannot read model.json: ENOENT\)/,
    );
    expect(existsSync(join(root, 'absent'))).toBe(false);
    small.dispose();
    wider.dispose();
  });
  it('saves through any tfjs IOHandler, and reads a model.json a browser exported through downloads://', async () => {
    const head = createProjectionHead({ inputSize: 6, hiddenSize: 5, outputSize: 3, seed: 2 });
    let saved: tf.io.ModelArtifacts | undefined;
    await saveModule(
      head,
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    const artifacts = saved as tf.io.ModelArtifacts;
    const fromMemory = await loadHead(tf.io.fromMemory(artifacts));
    // What downloads:// offers (tfjs's model.json layout), placed in a directory.
    const dir = mkdtempSync(join(tmpdir(), 'models-downloaded-'));
    const { weightData, weightSpecs, ...rest } = artifacts;
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ ...rest, weightsManifest: [{ paths: ['./head.weights.bin'], weights: weightSpecs }] }),
    );
    writeFileSync(join(dir, 'head.weights.bin'), new Uint8Array(weightData as ArrayBuffer));
    const downloaded = await loadHead(dir);
    const inputs = createRng(3).uniformTensor([2, 6]) as tf.Tensor2D;
    const outputs = (module: typeof head) =>
      tf.tidy(() => Array.from(module.apply(inputs, { training: false }).dataSync()));
    expect(outputs(fromMemory)).toEqual(outputs(head));
    expect(outputs(downloaded)).toEqual(outputs(head));
    await expect(saveModule(head, 'indexeddb://nowhere')).rejects.toThrow(
      /no tfjs save handler for 'indexeddb:\/\/nowhere'/,
    );
    tf.dispose(inputs);
    for (const module of [head, fromMemory, downloaded]) module.dispose();
  });
});
