// The same losses, values and gradients, on the cpu backend and on wasm (where the other tests
// run): every op they use has a kernel and a gradient on both, and they agree.
import { type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barlowTwins } from './barlow-twins.js';
import { dino } from './dino.js';
import { infoNce } from './info-nce.js';
import { negativeCosine } from './negative-cosine.js';
import { ntXent } from './nt-xent.js';
import { supCon } from './sup-con.js';
import { swav } from './swav.js';
import { relativeError, seededMatrix, useWasm } from './test-inputs.js';
import { tripletMargin } from './triplet-margin.js';
import { vicreg } from './vicreg.js';

beforeAll(useWasm);
afterAll(async () => {
  await tf.setBackend('wasm');
});

const inputs = [seededMatrix(8, 6, 1, 0.5), seededMatrix(8, 6, 2, 0.5), seededMatrix(8, 6, 3, 0.5)];
type Loss = (...xs: Tensor2D[]) => Scalar;
/** Each loss of its inputs (all of which carry a gradient). */
const losses: Record<string, Loss> = {
  ntXent: (a, b, c) => ntXent([a, b, c] as Tensor2D[], { temperature: 0.1 }),
  supCon: (a, b) =>
    supCon(tf.stack([a as Tensor2D, b as Tensor2D], 1) as tf.Tensor3D, [0, 0, 1, 1, 2, 2, 3, 3], { temperature: 0.1 }),
  infoNce: (a, b, c) =>
    infoNce(a as Tensor2D, b as Tensor2D, c as Tensor2D, { temperature: 0.2, stopGradientOnKeys: false }),
  negativeCosine: (a) => negativeCosine(a as Tensor2D, tf.tensor2d(inputs[1] as number[][]), { form: 'byol' }),
  barlowTwins: (a, b) => barlowTwins(a as Tensor2D, b as Tensor2D),
  vicreg: (a, b) => vicreg(a as Tensor2D, b as Tensor2D).loss,
  swav: (a, b, c) => swav([a, b, c] as Tensor2D[]),
  dino: (a, b, c) =>
    dino(
      [a, b, c] as Tensor2D[],
      inputs.slice(0, 2).map((m) => tf.tensor2d(m)),
      { center: tf.fill([6], 0.1) },
    ),
  tripletMargin: (a, b, c) => tripletMargin(a as Tensor2D, b as Tensor2D, c as Tensor2D),
};

/** Value and gradients w.r.t. each input the loss takes, on the current backend (tensors made there). */
function evaluate(loss: Loss): number[][] {
  return tf.tidy(() => {
    const xs = inputs.slice(0, loss.length).map((m) => tf.tensor2d(m));
    const value = loss(...xs).dataSync()[0] as number;
    const grads = tf.grads((...ys: Tensor[]) => loss(...(ys as Tensor2D[])))(xs);
    return [[value], ...grads.map((g) => Array.from(g.dataSync()))];
  });
}

describe('cpu and wasm agree', () => {
  for (const [name, loss] of Object.entries(losses)) {
    it(name, async () => {
      await tf.setBackend('wasm');
      const onWasm = evaluate(loss);
      await tf.setBackend('cpu');
      expect(tf.getBackend()).toBe('cpu');
      const onCpu = evaluate(loss);
      await tf.setBackend('wasm');
      onWasm.forEach((values, i) => {
        expect(relativeError(values, onCpu[i] as number[], 1e-6), `${name} output ${i}`).toBeLessThan(1e-5);
      });
    });
  }
});
