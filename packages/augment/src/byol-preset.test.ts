import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { byolPreset } from './byol-preset.js';
import { expectViewMakerContract, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('byolPreset', () => {
  it('makes two asymmetric views and keeps the contract for RGB and 1-channel data', async () => {
    const rgb = randomBatch(6, 32, 32, 3);
    await expectViewMakerContract('byol', byolPreset({ size: [24, 24] }), rgb, [
      [6, 24, 24, 3],
      [6, 24, 24, 3],
    ]);
    await expectViewMakerContract('byol gray', byolPreset({ size: [16, 16], channels: 1 }), randomBatch(4, 20, 20, 1), [
      [4, 16, 16, 1],
      [4, 16, 16, 1],
    ]);
    rgb.dispose();
  });

  it('blurs every view-1 sample: view 1 is smoother than view 2 on noise', () => {
    const noise = randomBatch(64, 32, 32, 1);
    const [view1, view2] = byolPreset({ size: [32, 32], scale: [1, 1] })(noise, createRng(1)) as [tf.Tensor, tf.Tensor];
    // Rough local variation: mean squared difference between horizontal neighbours.
    const roughness = (t: tf.Tensor) =>
      values(
        tf.tidy(() =>
          tf.mean(tf.square(tf.sub(t.slice([0, 0, 1, 0], [-1, -1, 31, -1]), t.slice([0, 0, 0, 0], [-1, -1, 31, -1])))),
        ),
      )[0] as number;
    expect(roughness(view1)).toBeLessThan(0.8 * roughness(view2));
    tf.dispose([noise, view1, view2]);
  });
});
