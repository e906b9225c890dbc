import { assertNoTensorLeak, createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProjectionHead } from './heads.js';
import { loadEncoder, loadHead, loadModule, loadModuleWeights, saveModule } from './module-io.js';
import { createSmallCnn } from './small-cnn.js';
import { createTextTransformer, loadTextTransformer } from './text-transformer.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

/** A module's outputs in inference mode, as numbers (encoders and heads take inputs of different ranks). */
const features = (module: { apply: (inputs: any, mode: { training: boolean }) => tf.Tensor }, inputs: tf.Tensor) =>
  tf.tidy(() => Array.from(module.apply(inputs, { training: false }).dataSync()));

describe('saving and loading modules in a browser', () => {
  it('round-trips an encoder through indexeddb:// with its running statistics, leaking no tensor', async () => {
    const encoder = createSmallCnn({ widths: [8, 16], strides: [1, 2], seed: 4 });
    const inputs = createRng(1).uniformTensor([4, 28, 28, 1]);
    tf.dispose(encoder.apply(inputs, { training: true })); // moves the running statistics
    await assertNoTensorLeak('saveModule + loadEncoder through indexeddb://', async () => {
      await saveModule(encoder, 'indexeddb://selfsup-models-test/encoder');
      const loaded = await loadEncoder('indexeddb://selfsup-models-test/encoder');
      expect(features(loaded, inputs)).toEqual(features(encoder, inputs));
      loaded.dispose();
    });
    const listed = await tf.io.listModels();
    expect(Object.keys(listed)).toContain('indexeddb://selfsup-models-test/encoder');
    tf.dispose(inputs);
    encoder.dispose();
  });

  it('loads weights into an existing module and refuses another architecture, naming the parameter', async () => {
    const head = createProjectionHead({ inputSize: 8, hiddenSize: 8, outputSize: 4 });
    await saveModule(head, 'indexeddb://selfsup-models-test/head');
    const again = await loadHead('indexeddb://selfsup-models-test/head');
    expect(again.outputSize).toBe(4);
    const wider = createSmallCnn({ widths: [16], strides: [1] });
    await saveModule(createSmallCnn({ widths: [8], strides: [1] }), 'indexeddb://selfsup-models-test/small');
    await expect(loadModuleWeights(wider, 'indexeddb://selfsup-models-test/small')).rejects.toThrow(
      /indexeddb:\/\/selfsup-models-test\/small: parameter small_cnn\/block1\/conv\/kernel is \[3,3,1,8\] in the file but \[3,3,1,16\] in the module/,
    );
    await expect(loadEncoder('indexeddb://selfsup-models-test/head')).rejects.toThrow(
      /is a projection-head, not an encoder/,
    );
    await expect(loadModule('indexeddb://selfsup-models-test/absent')).rejects.toThrow(/no saved module here/);
    for (const module of [head, again, wider]) module.dispose();
  });

  it('exports through downloads:// files that browserFiles reads back, and saves through any IOHandler', async () => {
    const head = createProjectionHead({ inputSize: 6, hiddenSize: 5, outputSize: 3, seed: 2 });
    // Catch the download links tfjs clicks, and read back what they would save.
    const offered: Array<{ name: string; href: string }> = [];
    const dispatch = HTMLAnchorElement.prototype.dispatchEvent;
    HTMLAnchorElement.prototype.dispatchEvent = function (this: HTMLAnchorElement, event: Event) {
      if (event.type !== 'click' || this.download === '') return dispatch.call(this, event);
      offered.push({ name: this.download, href: this.href });
      return false;
    };
    try {
      await saveModule(head, 'downloads://probe-head');
    } finally {
      HTMLAnchorElement.prototype.dispatchEvent = dispatch;
    }
    expect(offered.map((file) => file.name)).toEqual(['probe-head.json', 'probe-head.weights.bin']);
    const files = await Promise.all(
      offered.map(async (file) => new File([await (await fetch(file.href)).blob()], file.name)),
    );
    const again = await loadHead(tf.io.browserFiles(files));
    const inputs = createRng(3).uniformTensor([2, 6]);
    expect(features(again, inputs)).toEqual(features(head, inputs));
    let saved: tf.io.ModelArtifacts | undefined;
    await saveModule(
      head,
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    const fromMemory = await loadHead(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(features(fromMemory, inputs)).toEqual(features(head, inputs));
    tf.dispose(inputs);
    for (const module of [head, again, fromMemory]) module.dispose();
  });

  it('rebuilds a text transformer from IndexedDB', async () => {
    const model = createTextTransformer({ vocabSize: 12, maxLength: 6, dim: 8, depth: 1, heads: 2, seed: 1 });
    await saveModule(model, 'indexeddb://selfsup-models-test/text');
    const again = await loadTextTransformer('indexeddb://selfsup-models-test/text');
    const ids = tf.tensor2d([[1, 2, 3, 0, 0, 0]], undefined, 'int32');
    expect(features(again, ids)).toEqual(features(model, ids));
    await expect(loadTextTransformer('indexeddb://selfsup-models-test/head')).rejects.toThrow(
      /is a projection-head, not a text-transformer/,
    );
    tf.dispose(ids);
    model.dispose();
    again.dispose();
  });

  it('refuses a directory path, naming the browser alternatives', async () => {
    const head = createProjectionHead({ inputSize: 4, hiddenSize: 4, outputSize: 2 });
    await expect(saveModule(head, 'runs/demo/head')).rejects.toThrow(
      /saveModule\('runs\/demo\/head'\): a directory path needs a file system \(Node-only\); in a browser pass a tfjs URL \('indexeddb:\/\/runs\/demo\/head'/,
    );
    await expect(loadHead('runs/demo/head')).rejects.toThrow(/loadModule\('runs\/demo\/head'\).*Node-only/);
    head.dispose();
  });
});
