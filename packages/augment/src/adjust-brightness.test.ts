import { assertNoTensorLeak, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustBrightness } from './adjust-brightness.js';
import { adjustContrast } from './adjust-contrast.js';
import { adjustSaturation } from './adjust-saturation.js';
import { randomBatch, values } from './test-helpers.js';
import { adjustImage } from './test-torchvision-reference.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const ops = {
  brightness: adjustBrightness,
  contrast: adjustContrast,
  saturation: adjustSaturation,
} as const;

/** The per-sample torchvision reference of a batch. */
function reference(images: Tensor4D, op: keyof typeof ops, factors: number[]): number[] {
  const [n, h, w, c] = images.shape;
  const per = h * w * c;
  const data = values(images);
  return Array.from({ length: n }, (_, i) =>
    adjustImage(data.slice(i * per, (i + 1) * per), c, op, factors[i] as number),
  ).flat();
}

// adjustBrightness, adjustContrast and adjustSaturation share one implementation (a per-sample
// blend); they are checked together against torchvision's functional ops.
describe('adjustBrightness, adjustContrast, adjustSaturation', () => {
  for (const op of Object.keys(ops) as Array<keyof typeof ops>) {
    for (const channels of [1, 3] as const) {
      it(`${op} matches torchvision per sample on ${channels}-channel images, factor 1 exactly the identity`, async () => {
        const images = randomBatch(5, 4, 6, channels, 2);
        const factors = [0, 0.5, 1, 1.3, 2];
        const out = ops[op](images, factors);
        const expected = reference(images, op, factors);
        const got = values(out);
        expect(Math.max(...got.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-6);
        // Factor 1 leaves sample 2 bit for bit.
        expect(values(out.slice(2, 1))).toEqual(values(images.slice(2, 1)));
        await assertNoTensorLeak(op, () => ops[op](images, factors));
        expect(() => ops[op](images, [1, 1])).toThrow(/needs one factor ≥ 0 per sample \(5\)/);
        tf.dispose([images, out]);
      });
    }
  }

  it('saturation 0 gives equal channels; contrast 0 gives a flat image at the mean luma', () => {
    const images = randomBatch(2, 3, 3, 3);
    const gray = values(adjustSaturation(images, [0, 0]));
    for (let i = 0; i < gray.length; i += 3)
      expect(Math.abs((gray[i] as number) - (gray[i + 2] as number))).toBeLessThan(1e-6);
    const flat = values(adjustContrast(images, [0, 0]));
    expect(new Set(flat.slice(0, 27).map((v) => v.toFixed(6))).size).toBe(1);
    images.dispose();
  });
});
