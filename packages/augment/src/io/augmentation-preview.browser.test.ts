import { assertNoTensorLeak, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { horizontalFlip } from '../horizontal-flip.js';
import { simclrPreset } from '../simclr-preset.js';
import { augmentationPreview } from './augmentation-preview.js';
import { decodeImage, readImage } from './read-image.js';
import { encodePng } from './write-png.js';

/** Two deterministic 12×12 RGB images in [0, 1]. */
const PIXELS = Float32Array.from({ length: 2 * 12 * 12 * 3 }, (_, i) => ((i * 37 + (i >> 5)) % 256) / 255);

/** The preview grid of a horizontal flip (exact on every backend), decoded to bytes. */
async function flipGrid(backend: 'cpu' | 'webgpu'): Promise<number[]> {
  await initBackend({ backend, log: false });
  expect(tf.getBackend()).toBe(backend);
  const images = tf.tensor4d(PIXELS, [2, 12, 12, 3]);
  const preview = await assertNoTensorLeak(`augmentationPreview on ${backend}`, () =>
    augmentationPreview(images, horizontalFlip({ p: 1 }), { views: 2, scale: 2 }),
  );
  images.dispose();
  expect([preview.rows, preview.columns]).toEqual([2, 3]);
  return Array.from((await decodeImage(preview.png)).data);
}

// WebGPU (SwiftShader here, Dawn in Node) has no synchronous readback: a dataSync() inside throws there.
describe('augmentationPreview and encodePng on webgpu', () => {
  it('draw the grid cpu draws, byte for byte, and a preset grid, leak-free', async () => {
    const onCpu = await flipGrid('cpu');
    const onWebgpu = await flipGrid('webgpu');
    expect(onWebgpu.length).toBe(onCpu.length);
    expect(onWebgpu).toEqual(onCpu);

    const images = tf.tensor4d(PIXELS, [2, 12, 12, 3]);
    const preset = await assertNoTensorLeak('augmentationPreview of a preset on webgpu', () =>
      augmentationPreview(images, simclrPreset({ size: [12, 12] }), { views: 2, seed: 3, scale: 2 }),
    );
    // An augmentation gives one view per call: the original and 2 views.
    expect({ ...preset, png: undefined }).toEqual({
      png: undefined,
      rows: 2,
      columns: 3,
      width: 3 * 26 + 2,
      height: 2 * 26 + 2,
    });

    const first = images.slice([0, 0, 0, 0], [1, 12, 12, 3]) as Tensor4D;
    const png = await assertNoTensorLeak('encodePng on webgpu', () => encodePng(first));
    const back = await readImage(png);
    const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(back, tf.squeeze(first, [0])))));
    expect((await difference.data())[0]).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    tf.dispose([images, first, back, difference]);
  });
});
