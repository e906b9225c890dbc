import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';
import { assertNoTensorLeak } from '../memory.js';
import { maxRelativeError, randomValues, runOn } from '../testing/backend-parity.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('ResizeNearestNeighborGrad on cpu (corrected)', () => {
  it('matches the same resize written with gather, for every sample of a batch', async () => {
    // [4, 4] → [8, 6] without align corners: source row floor(r / 2), column floor(c · 4 / 6).
    const rows = [0, 0, 1, 1, 2, 2, 3, 3];
    const columns = [0, 0, 1, 2, 2, 3];
    const inputs = [randomValues([3, 4, 4, 2], 1), randomValues([3, 8, 6, 2], 2)];
    const gradient = (resize: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, u: tf.Tensor) =>
      tf.grad((y: tf.Tensor) => tf.sum(tf.mul(resize(y), u)))(x);
    const [expected] = await runOn(
      'cpu',
      inputs,
      gradient((y) => tf.gather(tf.gather(y, tf.tensor1d(rows, 'int32'), 1), tf.tensor1d(columns, 'int32'), 2)),
    );
    const [actual] = await assertNoTensorLeak('ResizeNearestNeighborGrad on cpu', () =>
      runOn(
        'cpu',
        inputs,
        gradient((y) => tf.image.resizeNearestNeighbor(y as tf.Tensor4D, [8, 6])),
      ),
    );
    expect(maxRelativeError(actual!, expected!)).toBeLessThan(1e-6);
  });
});

describe('Transform on cpu (corrected)', () => {
  it('transforms every sample of a batch as wasm does, not only the first', async () => {
    const inputs = [
      randomValues([3, 6, 6, 2], 3),
      {
        shape: [3, 8],
        values: Float32Array.from([
          0.93, -0.37, 1.37, 0.37, 0.93, -1.13, 0, 0, 1, 0, 0.3, 0, 1, -0.2, 0, 0, 1.07, 0.11, 0.29, -0.13, 0.96, 0.41,
          0.01, -0.023,
        ]),
      },
    ];
    const transform = (x: tf.Tensor, m: tf.Tensor) =>
      tf.image.transform(x as tf.Tensor4D, m as tf.Tensor2D, 'bilinear', 'constant', 0.5);
    const [actual] = await assertNoTensorLeak('Transform on cpu', () => runOn('cpu', inputs, transform));
    await initBackend({ backend: 'wasm', log: false });
    const [expected] = await runOn('wasm', inputs, transform);
    expect(maxRelativeError(actual!, expected!)).toBeLessThan(1e-5);
    // The last sample is transformed, not left at the fill value.
    expect(actual!.values.slice(-72).some((v) => v !== 0.5)).toBe(true);
  });
});
