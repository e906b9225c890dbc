import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { assertNoTensorLeak } from './memory.js';
import { createRng } from './rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

function draw(seed: number | string, count = 8): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
}

describe('createRng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw('run-a')).toEqual(draw('run-a'));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw('run-a')).not.toEqual(draw('run-b'));
  });

  it('resumes exactly from a saved state', () => {
    const rng = createRng(7);
    for (let i = 0; i < 100; i++) rng.normal();
    const saved = rng.state();
    const expected = Array.from({ length: 20 }, () => [rng.next(), rng.normal(), rng.int(10)]);
    const resumed = createRng(saved);
    expect(Array.from({ length: 20 }, () => [resumed.next(), resumed.normal(), resumed.int(10)])).toEqual(expected);
  });

  it('forks independent streams without advancing the parent', () => {
    const parent = createRng(1);
    const before = parent.state();
    const a = parent.fork('augment');
    const b = parent.fork('dropout');
    expect(parent.state()).toEqual(before);
    expect(a.next()).not.toEqual(b.next());
    expect(createRng(1).fork('augment').next()).toEqual(createRng(1).fork('augment').next());
  });

  it('draws uniforms, normals, integers and bernoullis with the right statistics', () => {
    const rng = createRng(123);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let normalSum = 0;
    let normalSumSq = 0;
    let heads = 0;
    const counts = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      sumSq += u * u;
      const z = rng.normal(2, 3);
      normalSum += z;
      normalSumSq += z * z;
      if (rng.bernoulli(0.3)) heads++;
      counts[rng.int(10)]++;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sumSq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    const normalMean = normalSum / n;
    expect(normalMean).toBeCloseTo(2, 1);
    expect(Math.sqrt(normalSumSq / n - normalMean ** 2)).toBeCloseTo(3, 1);
    expect(heads / n).toBeCloseTo(0.3, 2);
    for (const count of counts) expect(count / n).toBeCloseTo(0.1, 2);
  });

  it('makes permutations and shuffles that keep every element', () => {
    const rng = createRng(5);
    const permutation = Array.from(rng.permutation(50));
    expect([...permutation].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(permutation).not.toEqual([...Array(50).keys()]);
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(rng.shuffle([...items]).sort()).toEqual(items);
  });

  it('makes the same tensors for the same seed, without leaking', async () => {
    await assertNoTensorLeak('uniformTensor', () => createRng(9).uniformTensor([4, 5], -1, 1));
    await assertNoTensorLeak('normalTensor', () => createRng(9).normalTensor([4, 5]));
    const values = (make: () => tf.Tensor) => tf.tidy(() => Array.from(make().dataSync()));
    const first = values(() => createRng(9).uniformTensor([4, 5], -1, 1));
    expect(values(() => createRng(9).uniformTensor([4, 5], -1, 1))).toEqual(first);
    expect(values(() => createRng(10).uniformTensor([4, 5], -1, 1))).not.toEqual(first);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...first)).toBeLessThan(1);
    const normal = values(() => createRng(9).normalTensor([10_000], 0, 1));
    expect(normal.reduce((a, b) => a + b, 0) / normal.length).toBeCloseTo(0, 1);
  });

  it('rejects bad seeds, states and arguments with a clear message', () => {
    expect(() => createRng(Number.NaN)).toThrow(/finite/);
    expect(() => createRng([0, 0, 0, 0])).toThrow(/all-zero/);
    expect(() => createRng([1, 2, 3] as unknown as [number, number, number, number])).toThrow(/four unsigned/);
    expect(() => createRng(1).int(0)).toThrow(/positive integer/);
    expect(() => createRng(1).uniformTensor([2, -1])).toThrow(/non-negative/);
  });
});

describe('rng forks', () => {
  it('can fork repeatedly (fork states are valid unsigned words)', () => {
    let rng = createRng(3);
    for (let i = 0; i < 200; i++) rng = rng.fork(`level${i}`);
    expect(rng.state().every((word) => word >= 0 && word < 2 ** 32)).toBe(true);
  });
});
