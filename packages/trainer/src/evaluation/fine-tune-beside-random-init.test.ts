import { initBackend, tf } from '@selfsup/backend';
import { loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fineTuneBesideRandomInit } from './fine-tune-beside-random-init.js';
import { randomInitTwin } from './random-init-twin.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('fineTuneBesideRandomInit', () => {
  it('fine-tunes the encoder and its random-init twin on the same labeled subset with the same budget, leaking nothing', async () => {
    const train = selectImages(
      await loadIdxImages({ split: 'train' }),
      Array.from({ length: 400 }, (_, i) => i * 15),
    );
    const test = selectImages(
      await loadIdxImages({ split: 'test' }),
      Array.from({ length: 100 }, (_, i) => i * 10),
    );
    const options = {
      ...{ train, test, classes: 10, epochs: 8, batchSize: 25, labels: 100, seed: 3 },
      ...{ headLearningRate: 1e-2, encoderLearningRate: 3e-3 },
    };
    const encoder = createSmallCnn({ widths: [8, 16], strides: [2, 2], seed: 1 });
    const before = Array.from(encoder.trainableVariables[0]?.dataSync() ?? []);
    const tensors = tf.memory().numTensors;
    const lines: string[] = [];
    const result = await fineTuneBesideRandomInit(encoder, { ...options, log: (line) => lines.push(line) });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Array.from(encoder.trainableVariables[0]?.dataSync() ?? [])).toEqual(before);
    expect(result).toMatchObject({ labels: 100, epochs: 8 });
    // Train accuracy is measured over the 100 labeled images only.
    for (const score of [result.pretrained, result.randomInit]) {
      expect(Number.isInteger(Math.round(score.trainAccuracy * 100 * 1e4) / 1e4)).toBe(true);
      expect(score.testAccuracy).toBeGreaterThan(0.2); // chance: 0.1
    }
    expect(lines).toEqual([
      expect.stringMatching(/^fine-tuned pretrained on 100 labels: test accuracy \d+\.\d\d%$/),
      expect.stringMatching(/^fine-tuned random-init on 100 labels: test accuracy \d+\.\d\d%$/),
    ]);
    // An encoder that is its own random-init twin scores exactly as the twin: same subset, order and settings.
    const twin = randomInitTwin(encoder);
    const same = await fineTuneBesideRandomInit(twin, options);
    expect(same.pretrained).toEqual(same.randomInit);
    expect(same.pretrained).not.toEqual(result.pretrained);
    await expect(fineTuneBesideRandomInit(encoder, { ...options, labels: 401 })).rejects.toThrow(
      'fineTuneBesideRandomInit: labels must be an integer in [1, 400] (the training images); got 401',
    );
    twin.dispose();
    encoder.dispose();
  });
});
