import { assertNoTensorLeak, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { symmetricNegativeCosine } from './symmetric-negative-cosine.js';
import { expectGradientsMatchFiniteDifferences } from './test-gradients.js';
import { expectClose, pytorchReferences, scalarValue, seededMatrix, tensor, useWasm } from './test-inputs.js';
import { negativeCosineLoop } from './test-negative-cosine.js';

beforeAll(useWasm);

const { z1, z2 } = pytorchReferences().inputs;

describe('symmetricNegativeCosine', () => {
  const [p1, r1, p2, r2] = [seededMatrix(5, 4, 3), seededMatrix(5, 4, 4), seededMatrix(5, 4, 5), seededMatrix(5, 4, 6)];
  it('SimSiam: ½·D(p1, z2) + ½·D(p2, z1); BYOL: L + L̃ (the sum, as the paper)', () => {
    const [a, b, c, d] = [p1, r1, p2, r2].map(tensor) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
    expectClose(
      scalarValue(() => symmetricNegativeCosine(a, b, c, d)),
      0.5 * (negativeCosineLoop(p1, r2, 'simsiam') + negativeCosineLoop(p2, r1, 'simsiam')),
    );
    expectClose(
      scalarValue(() => symmetricNegativeCosine(a, b, c, d, { form: 'byol' })),
      negativeCosineLoop(p1, r2, 'byol') + negativeCosineLoop(p2, r1, 'byol'),
    );
    // Symmetric SimSiam with p = z reduces to negcos(z1, z2): scripts/make-pytorch-references.py's value.
    expectClose(
      scalarValue(() => symmetricNegativeCosine(tensor(z1), tensor(z1), tensor(z2), tensor(z2))),
      -0.1018992145,
      1e-4,
    );
    tf.dispose([a, b, c, d]);
  });
  it('gradients: finite differences for the predictions, exactly zero for the targets', () => {
    expectGradientsMatchFiniteDifferences(
      (a, b, c, d) => symmetricNegativeCosine(a, b, c, d, { form: 'byol' }),
      [p1, r1, p2, r2],
      { check: [0, 2] },
    );
    tf.tidy(() => {
      const grads = tf.grads((a: Tensor, b: Tensor, c: Tensor, d: Tensor) =>
        symmetricNegativeCosine(a as Tensor2D, b as Tensor2D, c as Tensor2D, d as Tensor2D),
      )([p1, r1, p2, r2].map(tensor));
      expect(Math.max(...Array.from((grads[1] as Tensor).dataSync(), Math.abs))).toBe(0);
      expect(Math.max(...Array.from((grads[3] as Tensor).dataSync(), Math.abs))).toBe(0);
    });
  });
  it('leaks no tensors', async () => {
    const [a, b] = [tensor(p1), tensor(r1)];
    await assertNoTensorLeak('symmetricNegativeCosine', () => symmetricNegativeCosine(a, b, b, a, { form: 'byol' }));
    tf.dispose([a, b]);
  });
  it('rejects mismatched shapes', () => {
    tf.tidy(() => {
      const a = tf.zeros([4, 3]) as Tensor2D;
      expect(() => symmetricNegativeCosine(a, a, tf.zeros([5, 3]) as Tensor2D, a)).toThrow(
        'symmetricNegativeCosine: p1, z1, p2 and z2 must all be [batch, dim]; got [4,3], [4,3], [5,3] and [4,3]',
      );
    });
  });
});
