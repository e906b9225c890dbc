// The losses in Chromium: the same PyTorch goldens as the Node tests, on wasm (selfsup's training
// kernels) and on webgl (SwiftShader here: a correctness path), values and gradients, no leaks.
import { assertNoTensorLeak, initBackend, type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { barlowTwins } from './barlow-twins.js';
import golden from './fixtures/ntxent-golden.json' with { type: 'json' };
import references from './fixtures/pytorch-references.json' with { type: 'json' };
import { infoNce } from './info-nce.js';
import { negativeCosine } from './negative-cosine.js';
import { ntXent } from './nt-xent.js';
import { tripletMargin } from './triplet-margin.js';
import { vicreg } from './vicreg.js';

type Matrix = number[][];
const { z1, z2 } = references.inputs as { z1: Matrix; z2: Matrix };

interface Check {
  name: string;
  value: number;
  /** Expected gradient per input (null: no gradient may flow, stop-gradient). */
  gradients: Array<Matrix | null>;
  inputs: () => Tensor[];
  loss: (...xs: Tensor[]) => Scalar;
}

function pytorch(name: string): { value: number; gradients: Record<string, Matrix | null> } {
  const found = references.cases.find((c) => c.loss === name);
  if (found === undefined) throw new Error(`no PyTorch reference case ${name}`);
  return found as unknown as { value: number; gradients: Record<string, Matrix | null> };
}

const t = (m: Matrix): Tensor2D => tf.tensor2d(m);
const checks: Check[] = [
  ...golden.cases.map((c) => ({
    name: `ntXent τ=${c.temperature}`,
    value: c.loss_f64,
    gradients: [c.grad_z1_f64, c.grad_z2_f64],
    inputs: () => [t(z1), t(z2)],
    loss: (a: Tensor, b: Tensor) => ntXent([a as Tensor2D, b as Tensor2D], { temperature: c.temperature }),
  })),
  ...(
    [
      ['barlowTwins', ['z1', 'z2'], (a: Tensor, b: Tensor) => barlowTwins(a as Tensor2D, b as Tensor2D)],
      ['vicreg', ['z1', 'z2'], (a: Tensor, b: Tensor) => vicreg(a as Tensor2D, b as Tensor2D).loss],
      ['negativeCosineSimsiam', ['p', 'z'], (a: Tensor, b: Tensor) => negativeCosine(a as Tensor2D, b as Tensor2D)],
      [
        'negativeCosineByol',
        ['p', 'z'],
        (a: Tensor, b: Tensor) => negativeCosine(a as Tensor2D, b as Tensor2D, { form: 'byol' }),
      ],
      [
        'infoNceInBatch',
        ['query', 'positiveKey'],
        (a: Tensor, b: Tensor) =>
          infoNce(a as Tensor2D, b as Tensor2D, tf.zeros([0, 16]) as Tensor2D, {
            temperature: 0.2,
            inBatchNegatives: true,
          }),
      ],
    ] as const
  ).map(([name, inputNames, loss]) => {
    const reference = pytorch(name);
    return {
      name,
      value: reference.value,
      gradients: inputNames.map((input) => reference.gradients[input] ?? null),
      inputs: () => [t(z1), t(z2)],
      loss: loss as Check['loss'],
    };
  }),
  {
    name: 'tripletMargin',
    value: pytorch('tripletMargin').value,
    gradients: ['anchor', 'positive', 'negative'].map((input) => pytorch('tripletMargin').gradients[input] ?? null),
    inputs: () => [t(z1), t(z2), tf.mul(tf.reverse(t(z1), 0), 0.5)],
    loss: (a, p, n) => tripletMargin(a as Tensor2D, p as Tensor2D, n as Tensor2D),
  },
];

/** The loss's value and the gradient w.r.t. each input, read back from the current backend. */
async function evaluate(check: Check): Promise<{ value: number; gradients: Float32Array[] }> {
  const [value, ...gradients] = tf.tidy(() => {
    const xs = check.inputs();
    return [check.loss(...xs), ...tf.grads((...ys: Tensor[]) => check.loss(...ys))(xs)];
  }) as Tensor[];
  const read = await Promise.all([value, ...gradients].map(async (x) => (await (x as Tensor).data()) as Float32Array));
  tf.dispose([value as Tensor, ...gradients]);
  return { value: (read[0] as Float32Array)[0] as number, gradients: read.slice(1) };
}

function relativeError(actual: ArrayLike<number>, expected: number[]): number {
  const scale = Math.max(1e-12, ...expected.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  return worst / scale;
}

// SwiftShader's WebGL computes exp/log in lower precision than wasm: looser there, still far below a real bug.
const TOLERANCE = { wasm: { value: 2e-5, gradient: 1e-4 }, webgl: { value: 1e-3, gradient: 5e-3 } };

for (const backend of ['wasm', 'webgl'] as const) {
  describe(`losses in Chromium on ${backend} match the PyTorch goldens`, () => {
    for (const check of checks) {
      it(check.name, async () => {
        await initBackend({ backend, log: false });
        expect(tf.getBackend()).toBe(backend);
        const { value, gradients } = await evaluate(check);
        const tolerance = TOLERANCE[backend];
        expect(Math.abs(value - check.value)).toBeLessThanOrEqual(tolerance.value * Math.max(1, Math.abs(check.value)));
        check.gradients.forEach((expected, i) => {
          const actual = gradients[i] as Float32Array;
          if (expected === null) expect(Math.max(...Array.from(actual, Math.abs)), `input ${i}: no gradient`).toBe(0);
          else
            expect(relativeError(actual, expected.flat()), `gradient of input ${i}`).toBeLessThan(tolerance.gradient);
        });
        await assertNoTensorLeak(check.name, () => evaluate(check));
      });
    }
  });
}
