import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomGrayscale } from './random-grayscale.js';
import { expectAugmentationContract, expectRate, randomBatch, unchangedSamples, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomGrayscale', () => {
  it('converts samples at rate p; converted samples have three equal channels', () => {
    const images = randomBatch(100, 4, 4, 3);
    let converted = 0;
    for (let seed = 0; seed < 4; seed++) {
      const out = randomGrayscale({ p: 0.25 })(images, createRng(seed));
      const changed = unchangedSamples(images, out).map((s) => !s);
      const data = values(out);
      changed.forEach((c, n) => {
        if (!c) return;
        converted++;
        for (let i = n * 48; i < (n + 1) * 48; i += 3) {
          expect(data[i]).toBe(data[i + 1]);
          expect(data[i + 1]).toBe(data[i + 2]);
        }
      });
      out.dispose();
    }
    expectRate(converted, 400, 0.25);
    images.dispose();
  });

  it('is the identity on 1-channel images and keeps the contract', async () => {
    const gray = randomBatch(5, 3, 3, 1);
    const out = randomGrayscale({ p: 1 })(gray, createRng(0));
    expect(values(out)).toEqual(values(gray));
    await expectAugmentationContract('randomGrayscale', randomGrayscale({ p: 0.5 }), randomBatch(12, 4, 4, 3));
    expect(() => randomGrayscale({ p: 2 })).toThrow(/probability/);
    tf.dispose([gray, out]);
  });
});
