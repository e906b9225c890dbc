import { assertNoTensorLeak, initBackend, type NamedTensorMap, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, type OptimizerConfig } from './create-optimizer.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Straightforward scalar re-implementations of PyTorch's update rules, one element at a time. */
function referenceStep(
  config: OptimizerConfig,
  p: number[],
  g: number[],
  state: Record<string, number[]>,
  lr: number,
  t: number,
  decays: boolean,
): number[] {
  const n = p.length;
  const out = [...p];
  switch (config.kind) {
    case 'adam':
    case 'adamw': {
      const b1 = config.beta1 ?? 0.9;
      const b2 = config.beta2 ?? 0.999;
      const eps = config.epsilon ?? 1e-8;
      const wd = decays ? (config.weightDecay ?? (config.kind === 'adamw' ? 0.05 : 0)) : 0;
      state.m ??= new Array(n).fill(0);
      state.v ??= new Array(n).fill(0);
      for (let i = 0; i < n; i++) {
        let gi = g[i] as number;
        let pi = p[i] as number;
        if (config.kind === 'adam') gi += wd * pi;
        else pi -= lr * wd * pi;
        state.m[i] = b1 * (state.m[i] as number) + (1 - b1) * gi;
        state.v[i] = b2 * (state.v[i] as number) + (1 - b2) * gi * gi;
        const mHat = (state.m[i] as number) / (1 - b1 ** t);
        const vHat = (state.v[i] as number) / (1 - b2 ** t);
        out[i] = pi - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
      return out;
    }
    case 'sgd': {
      const mu = config.momentum ?? 0.9;
      const wd = decays ? (config.weightDecay ?? 0) : 0;
      state.buf ??= new Array(n).fill(0);
      for (let i = 0; i < n; i++) {
        const gi = (g[i] as number) + wd * (p[i] as number);
        state.buf[i] = mu * (state.buf[i] as number) + gi;
        const d = config.nesterov ? gi + mu * (state.buf[i] as number) : (state.buf[i] as number);
        out[i] = (p[i] as number) - lr * d;
      }
      return out;
    }
    case 'lars': {
      const mu = config.momentum ?? 0.9;
      const wd = config.weightDecay ?? 1e-6;
      const eta = config.trustCoefficient ?? 0.001;
      state.buf ??= new Array(n).fill(0);
      let gs = [...g];
      if (decays) {
        gs = gs.map((gi, i) => gi + wd * (p[i] as number));
        const pn = Math.hypot(...p);
        const gn = Math.hypot(...gs);
        const trust = pn > 0 && gn > 0 ? (eta * pn) / gn : 1;
        gs = gs.map((gi) => gi * trust);
      }
      for (let i = 0; i < n; i++) {
        state.buf[i] = mu * (state.buf[i] as number) + (gs[i] as number);
        out[i] = (p[i] as number) - lr * (state.buf[i] as number);
      }
      return out;
    }
  }
}

const configs: OptimizerConfig[] = [
  { kind: 'adam' },
  { kind: 'adam', weightDecay: 0.1, beta2: 0.99 },
  { kind: 'adamw', weightDecay: 0.1 },
  { kind: 'sgd', momentum: 0.9, weightDecay: 1e-2 },
  { kind: 'sgd', momentum: 0.8, nesterov: true },
  { kind: 'lars', weightDecay: 1e-4, trustCoefficient: 0.01 },
];

describe('optimizers match their reference update rules', () => {
  for (const config of configs) {
    it(JSON.stringify(config), async () => {
      const matrix = tf.variable(
        tf.tensor2d([
          [0.5, -1.2],
          [2, 0.3],
        ]),
        true,
        `w-${JSON.stringify(config)}`,
      );
      const bias = tf.variable(tf.tensor1d([0.1, -0.2]), true, `b-${JSON.stringify(config)}`);
      const optimizer = createOptimizer(config, [matrix, bias]);
      const refMatrix: Record<string, number[]> = {};
      const refBias: Record<string, number[]> = {};
      let p = [0.5, -1.2, 2, 0.3];
      let b = [0.1, -0.2];
      const learningRates = [0.1, 0.05, 0.2];
      for (let t = 1; t <= 3; t++) {
        const gradients: NamedTensorMap = {
          [matrix.name]: tf.tensor2d([
            [0.3 * t, -0.1],
            [0.2, 0.4 / t],
          ]),
          [bias.name]: tf.tensor1d([0.05, -0.3 * t]),
        };
        const lr = learningRates[t - 1] as number;
        const gm = Array.from(gradients[matrix.name]?.dataSync() ?? []);
        const gb = Array.from(gradients[bias.name]?.dataSync() ?? []);
        optimizer.applyGradients(gradients, lr);
        tf.dispose(Object.values(gradients));
        p = referenceStep(config, p, gm, refMatrix, lr, t, true);
        b = referenceStep(config, b, gb, refBias, lr, t, false); // rank-1: no decay / adaptation
      }
      for (const [i, v] of Array.from(matrix.dataSync()).entries()) expect(v).toBeCloseTo(p[i] as number, 5);
      for (const [i, v] of Array.from(bias.dataSync()).entries()) expect(v).toBeCloseTo(b[i] as number, 5);
      optimizer.dispose();
      tf.dispose([matrix, bias]);
    });
  }
});

describe('optimizer state', () => {
  it('resumes exactly from getState/setState and leaks nothing', async () => {
    const make = (name: string) => tf.variable(tf.tensor1d([1, 2, 3]), true, name);
    const a = make('resume-a');
    const b = make('resume-b');
    const first = createOptimizer({ kind: 'adamw' }, [a]);
    const g = () => ({ 'resume-a': tf.tensor1d([0.1, -0.2, 0.3]) });
    const gb = () => ({ 'resume-b': tf.tensor1d([0.1, -0.2, 0.3]) });
    for (let i = 0; i < 3; i++) {
      const grads = g();
      first.applyGradients(grads, 0.1);
      tf.dispose(Object.values(grads));
    }
    const state = first.getState();
    const second = createOptimizer({ kind: 'adamw' }, [b]);
    tf.tidy(() => b.assign(tf.add(a, 0))); // a copy: assign(a) would share its buffer
    second.setState({
      iterations: state.iterations,
      slots: Object.fromEntries(Object.entries(state.slots).map(([k, v]) => [k.replace('resume-a', 'resume-b'), v])),
    });
    tf.dispose(Object.values(state.slots));
    await assertNoTensorLeak('applyGradients', () => {
      const ga = g();
      const gbb = gb();
      first.applyGradients(ga, 0.1);
      second.applyGradients(gbb, 0.1);
      tf.dispose([...Object.values(ga), ...Object.values(gbb)]);
    });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(second.iterations).toBe(4);
    expect(() => first.applyGradients({ unknown: tf.scalar(1) }, 0.1)).toThrow(
      'adamw: got a gradient for unknown, which is not one of its variables',
    );
    expect(() => first.applyGradients({}, Number.NaN)).toThrow('adamw: learning rate must be finite, got NaN');
    expect(() => createOptimizer({ kind: 'adagrad' } as never, [a])).toThrow(
      "optimizer: 'adagrad' is not an optimizer; known: adam, adamw, sgd, lars",
    );
    first.dispose();
    second.dispose();
    tf.dispose([a, b]);
  });
});
