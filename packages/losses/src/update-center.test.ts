import { assertNoTensorLeak, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasm } from './test-inputs.js';
import { updateCenter } from './update-center.js';

beforeAll(useWasm);

describe('updateCenter', () => {
  it("c ← m·c + (1 − m)·mean over the rows of every teacher view; a new tensor of the center's shape", () => {
    tf.tidy(() => {
      const center = tf.tensor1d([1, 0]);
      const t1 = tf.tensor2d([
        [1, 2],
        [3, 4],
      ]) as Tensor2D;
      const t2 = tf.tensor2d([
        [5, 6],
        [7, 8],
      ]) as Tensor2D;
      const next = updateCenter(center, [t1, t2], 0.9);
      expect(next).not.toBe(center);
      expect(next.shape).toEqual([2]);
      const expected = [0.9 * 1 + 0.1 * 4, 0.9 * 0 + 0.1 * 5];
      Array.from(next.dataSync()).forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i] as number, 6);
      });
      expect(Array.from(center.dataSync())).toEqual([1, 0]); // the old center is untouched
      const row = updateCenter(tf.tensor2d([[1, 0]]), t1); // [1, K] stays [1, K]; default m = 0.9
      expect(row.shape).toEqual([1, 2]);
      expect(row.dataSync()[1]).toBeCloseTo(0.1 * 3, 6);
    });
  });
  it('rejects bad shapes and momenta, and leaks nothing', async () => {
    const t = tf.ones([3, 4]) as Tensor2D;
    const center = tf.zeros([4]);
    expect(() => updateCenter(tf.zeros([3]), t)).toThrow('updateCenter: center must be [4] or [1, 4]; got [3]');
    expect(() => updateCenter(center, t, 2)).toThrow('updateCenter: momentum must be in [0, 1]; got 2');
    expect(() => updateCenter(center, [t, tf.ones([3, 5]) as Tensor2D])).toThrow(
      /teacherOut\[0\] and teacherOut\[1\] must both be/,
    );
    await assertNoTensorLeak('updateCenter', () => updateCenter(center, [t, t]));
    tf.dispose([t, center]);
  });
});
