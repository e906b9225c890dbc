import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomErasing, randomErasingBoxes } from './random-erasing.js';
import { expectAugmentationContract, expectRate, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomErasing', () => {
  it('draws torchvision boxes: at rate p, smaller than the image, area within the scale range', () => {
    const boxes = randomErasingBoxes(createRng(1), 2000, 20, 30, { p: 0.5, scale: [0.05, 0.2] });
    const chosen = boxes.filter((b) => b !== undefined);
    expectRate(chosen.length, 2000, 0.5);
    for (const box of chosen) {
      expect(box.height).toBeLessThan(20);
      expect(box.width).toBeLessThan(30);
      expect(box.top + box.height).toBeLessThanOrEqual(20);
      expect(box.left + box.width).toBeLessThanOrEqual(30);
      const slack = (box.height + box.width + 1) / 600;
      expect((box.height * box.width) / 600).toBeGreaterThanOrEqual(0.05 - slack);
      expect((box.height * box.width) / 600).toBeLessThanOrEqual(0.2 + slack);
    }
  });

  it('sets exactly the drawn rectangle to the value and leaves every other pixel', () => {
    const images = tf.tidy(() => tf.add(randomBatch(30, 10, 12, 3), 1)) as Tensor4D; // > 0 everywhere
    const out = randomErasing({ p: 0.7, value: 0 })(images, createRng(4));
    const boxes = randomErasingBoxes(createRng(4), 30, 10, 12, { p: 0.7 });
    const input = values(images);
    const output = values(out);
    for (let i = 0; i < output.length; i++) {
      const n = Math.floor(i / 360);
      const y = Math.floor((i % 360) / 36);
      const x = Math.floor((i % 36) / 3);
      const box = boxes[n];
      const inside =
        box !== undefined && y >= box.top && y < box.top + box.height && x >= box.left && x < box.left + box.width;
      expect(output[i]).toBe(inside ? 0 : input[i]);
    }
    tf.dispose([images, out]);
  });

  it('keeps the contract; random fill leaves [0, 1] as torchvision', async () => {
    await expectAugmentationContract('randomErasing', randomErasing({ p: 0.8 }), randomBatch(10, 8, 8, 3));
    await expectAugmentationContract(
      'randomErasing random',
      randomErasing({ p: 1, value: 'random' }),
      randomBatch(4, 8, 8, 1),
      [4, 8, 8, 1],
      { range: false },
    );
    expect(() => randomErasing({ scale: [0.5, 2] })).toThrow(/scale must be/);
  });
});
