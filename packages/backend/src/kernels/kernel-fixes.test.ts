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
