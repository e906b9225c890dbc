import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, type Scalar, type Tensor, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { barlowTwins } from './barlow-twins.js';
import { dino } from './dino.js';
import { infoNCE } from './info-nce.js';
import { negativeCosine } from './negative-cosine.js';
import { ntXent } from './nt-xent.js';
import { supCon } from './sup-con.js';
import { swav } from './swav.js';
import { tripletMargin } from './triplet-margin.js';
import { vicreg } from './vicreg.js';

interface ReferenceCase {
  loss: string;
  options: Record<string, unknown>;
  value: number;
  components: number[] | null;
  gradients: Record<string, number[][] | number[][][] | null>;
}

const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'reference-values.json'), 'utf8')) as {
  inputs: { z1: number[][]; z2: number[][]; prototypes: number[][]; negatives: number[][] };
  cases: ReferenceCase[];
};
const sharedGolden = resolve(here, '../../../../shared/golden/ntxent.json');

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

function maxRelativeError(actual: ArrayLike<number>, expected: number[]): number {
  const scale = Math.max(...expected.map(Math.abs), 1e-12);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)) / scale);
  return worst;
}

/** The selfsup loss of a reference case, as a function of the case's named inputs. */
function lossFor(c: ReferenceCase): { inputs: Record<string, Tensor>; loss: (...xs: Tensor[]) => Scalar } {
  const z1 = tf.tensor2d(fixture.inputs.z1);
  const z2 = tf.tensor2d(fixture.inputs.z2);
  const labels = tf.tensor1d((c.options.labels as number[] | undefined) ?? [], 'int32') as Tensor1D;
  const prototypes = tf.tensor2d(fixture.inputs.prototypes);
  const unit = (x: Tensor2D) => tf.div(x, tf.norm(x, 'euclidean', 1, true)) as Tensor2D;
  switch (c.loss) {
    case 'ntXent':
      return {
        inputs: { z1, z2 },
        loss: (a, b) => ntXent(a as Tensor2D, b as Tensor2D, { temperature: c.options.temperature as number }),
      };
    case 'supCon':
      return {
        inputs: { features: tf.stack([z1, z2], 1) },
        loss: (f) => supCon(f as Tensor, labels, { temperature: 0.07 }),
      };
    case 'supConSingleView':
      return { inputs: { features: z1 }, loss: (f) => supCon(f as Tensor, labels, { temperature: 0.1 }) };
    case 'infoNCE':
      return {
        inputs: { query: z1, positiveKey: z2, negatives: tf.tensor2d(fixture.inputs.negatives) },
        loss: (q, k, n) => infoNCE(q as Tensor2D, k as Tensor2D, n as Tensor2D, { temperature: 0.2 }),
      };
    case 'negativeCosineSimsiam':
      return { inputs: { p: z1, z: z2 }, loss: (p, z) => negativeCosine(p as Tensor2D, z as Tensor2D) };
    case 'negativeCosineByol':
      return {
        inputs: { p: z1, z: z2 },
        loss: (p, z) => negativeCosine(p as Tensor2D, z as Tensor2D, { form: 'byol' }),
      };
    case 'barlowTwins':
      return { inputs: { z1, z2 }, loss: (a, b) => barlowTwins(a as Tensor2D, b as Tensor2D, { lambda: 5e-3 }) };
    case 'vicreg':
      return {
        inputs: { x: z1, y: z2 },
        loss: (a, b) => {
          const terms = vicreg(a as Tensor2D, b as Tensor2D);
          tf.dispose([terms.invariance, terms.variance, terms.covariance]);
          return terms.loss;
        },
      };
    case 'swav':
      return {
        inputs: { s1: tf.matMul(unit(z1), prototypes), s2: tf.matMul(unit(z2), prototypes) },
        loss: (a, b) => swav(a as Tensor2D, b as Tensor2D, { temperature: 0.1, sinkhornIterations: 3, epsilon: 0.05 }),
      };
    case 'dino':
      return {
        inputs: { student: z1, teacher: z2 },
        loss: (s, t) =>
          dino(s as Tensor2D, t as Tensor2D, {
            studentTemp: 0.1,
            teacherTemp: 0.04,
            center: tf.tensor1d(c.options.center as number[]) as Tensor1D,
          }),
      };
    case 'tripletMargin':
      return {
        inputs: { a: z1, p: z2, n: tf.mul(tf.reverse(z1, 0), 0.5) },
        loss: (a, p, n) => tripletMargin(a as Tensor2D, p as Tensor2D, n as Tensor2D),
      };
    default:
      throw new Error(`no selfsup loss for reference case ${c.loss}`);
  }
}

describe('losses match PyTorch reference values (float64 references, float32 here)', () => {
  for (const c of fixture.cases) {
    it(`${c.loss} ${JSON.stringify(c.options).slice(0, 60)}`, () => {
      tf.tidy(() => {
        const { inputs, loss } = lossFor(c);
        const names = Object.keys(inputs);
        const tensors = Object.values(inputs);
        const value = loss(...tensors).dataSync()[0] as number;
        // ntXent must match to 1e-5 (the bar); the rest to float32 accuracy.
        const tolerance = c.loss === 'ntXent' ? 1e-5 : 2e-5;
        expect(Math.abs(value - c.value) / Math.max(1, Math.abs(c.value))).toBeLessThan(tolerance);
        const gradients = tf.grads((...xs: Tensor[]) => loss(...xs))(tensors);
        names.forEach((name, i) => {
          const expected = c.gradients[name];
          const actual = gradients[i] as Tensor;
          if (expected === null || expected === undefined) {
            // No gradient in PyTorch (stop-gradient inputs): ours must be exactly zero.
            expect(Math.max(...Array.from(tf.abs(actual).dataSync()))).toBe(0);
          } else {
            expect(maxRelativeError(actual.dataSync(), (expected as unknown[]).flat(2) as number[])).toBeLessThan(1e-4);
          }
        });
      });
    });
  }

  it('vicreg returns the three terms of the official implementation', () => {
    const c = fixture.cases.find((x) => x.loss === 'vicreg') as ReferenceCase;
    tf.tidy(() => {
      const terms = vicreg(tf.tensor2d(fixture.inputs.z1), tf.tensor2d(fixture.inputs.z2));
      const values = [terms.invariance, terms.variance, terms.covariance].map((t) => t.dataSync()[0] as number);
      values.forEach((v, i) => {
        expect(v).toBeCloseTo((c.components as number[])[i] as number, 5);
      });
    });
  });

  it.runIf(existsSync(sharedGolden))(
    'the committed ntXent references are the shared golden file’s (when ../shared is present)',
    () => {
      const golden = JSON.parse(readFileSync(sharedGolden, 'utf8')) as {
        inputs: { z1: number[][]; z2: number[][] };
        cases: Array<{ temperature: number; loss_f64: number; grad_z1_f64: number[][] }>;
      };
      expect(golden.inputs.z1).toEqual(fixture.inputs.z1);
      expect(golden.inputs.z2).toEqual(fixture.inputs.z2);
      for (const g of golden.cases) {
        const ours = fixture.cases.find(
          (c) => c.loss === 'ntXent' && c.options.temperature === g.temperature,
        ) as ReferenceCase;
        expect(ours.value).toBeCloseTo(g.loss_f64, 12);
        expect(maxRelativeError((ours.gradients.z1 as number[][]).flat(), g.grad_z1_f64.flat())).toBeLessThan(1e-12);
      }
    },
  );
});
