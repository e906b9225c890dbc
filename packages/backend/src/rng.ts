import * as tf from '@tensorflow/tfjs-core';

/** The complete state of an {@link Rng}: four unsigned 32-bit words (xoshiro128**). */
export type RngState = readonly [number, number, number, number];

/**
 * A seeded pseudo-random number generator (xoshiro128**, Blackman & Vigna 2018).
 *
 * Every random choice in selfsup takes one, so the same seed gives the same batch. Its state is
 * four numbers that a checkpoint stores and {@link createRng} restores, so a resumed run draws
 * the same stream as an uninterrupted one.
 */
export interface Rng {
  /** A float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** An unsigned 32-bit integer. */
  nextUint32(): number;
  /** A float in [low, high). */
  uniform(low?: number, high?: number): number;
  /** An integer in [0, maxExclusive). @throws if `maxExclusive` is not a positive integer. */
  int(maxExclusive: number): number;
  /** A normal sample (Box–Muller). */
  normal(mean?: number, std?: number): number;
  /** True with probability `p`. */
  bernoulli(p: number): boolean;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** A 31-bit integer to pass as the `seed` of a tfjs random op. */
  seed(): number;
  /**
   * An independent generator derived from this one's current state and `label`; it does not
   * advance this generator, so adding a fork never changes the draws of the parent.
   */
  fork(label: string): Rng;
  /** A copy of the state, for checkpoints. */
  state(): RngState;
  /** A float32 tensor of uniform samples in [low, high). */
  uniformTensor(shape: number[], low?: number, high?: number): tf.Tensor;
  /** A float32 tensor of normal samples. */
  normalTensor(shape: number[], mean?: number, std?: number): tf.Tensor;
}

const UINT32 = 2 ** 32;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** splitmix32: spreads one 32-bit seed over the 128-bit state, as the xoshiro authors advise. */
function splitmix32(seed: number): () => number {
  let z = seed >>> 0;
  return () => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
    return (t ^ (t >>> 16)) >>> 0;
  };
}

/** FNV-1a over the UTF-16 code units of a string, for string seeds and fork labels. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function stateFromSeed(seed: number | string): [number, number, number, number] {
  let seed32: number;
  if (typeof seed === 'string') {
    seed32 = hashString(seed);
  } else {
    if (!Number.isFinite(seed)) {
      throw new Error(`createRng: seed must be a finite number or a string, got ${seed}`);
    }
    // Fold the high bits of large integer seeds in rather than dropping them.
    seed32 = (Math.trunc(seed) ^ Math.trunc(seed / UINT32)) >>> 0;
  }
  const mix = splitmix32(seed32);
  return [mix(), mix(), mix(), mix()];
}

function checkState(state: RngState): [number, number, number, number] {
  if (state.length !== 4 || state.some((word) => !Number.isInteger(word) || word < 0 || word >= UINT32)) {
    throw new Error(`createRng: a state must be four unsigned 32-bit integers, got [${state.join(', ')}]`);
  }
  if (state.every((word) => word === 0)) {
    throw new Error('createRng: the all-zero state is not valid for xoshiro128**');
  }
  return [state[0], state[1], state[2], state[3]];
}

/**
 * Creates a seeded random number generator.
 *
 * @param seed a number, a string, or a state saved with `rng.state()`.
 * @example
 * const rng = createRng(42);
 * const coin = rng.bernoulli(0.5);
 * const noise = rng.normalTensor([2, 3]); // same values for the same seed
 * @throws if the seed is not finite or the state is malformed.
 */
export function createRng(seed: number | string | RngState): Rng {
  const s = Array.isArray(seed) ? checkState(seed as RngState) : stateFromSeed(seed as number | string);

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const next = (): number => nextUint32() / UINT32;

  const rng: Rng = {
    next,
    nextUint32,
    uniform: (low = 0, high = 1) => low + (high - low) * next(),
    int(maxExclusive) {
      if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
        throw new Error(`rng.int: maxExclusive must be a positive integer, got ${maxExclusive}`);
      }
      return Math.floor(next() * maxExclusive);
    },
    normal(mean = 0, std = 1) {
      // Box–Muller without a cached second sample, so `state()` is the whole state.
      // 1 - next() is in (0, 1], so the log is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      return mean + std * radius * Math.cos(2 * Math.PI * next());
    },
    bernoulli: (p) => next() < p,
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
    permutation(n) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = order[i] as number;
        order[i] = order[j] as number;
        order[j] = tmp;
      }
      return order;
    },
    seed: () => nextUint32() >>> 1,
    fork(label) {
      const mix = splitmix32((s[0] ^ rotl(s[1], 8) ^ rotl(s[2], 16) ^ rotl(s[3], 24) ^ hashString(label)) >>> 0);
      return createRng([mix(), mix(), mix(), (mix() | 1) >>> 0]);
    },
    state: () => [s[0], s[1], s[2], s[3]],
    uniformTensor(shape, low = 0, high = 1) {
      const values = new Float32Array(sizeOf(shape));
      for (let i = 0; i < values.length; i++) values[i] = low + (high - low) * next();
      return tf.tensor(values, shape, 'float32');
    },
    normalTensor(shape, mean = 0, std = 1) {
      const values = new Float32Array(sizeOf(shape));
      for (let i = 0; i < values.length; i++) values[i] = rng.normal(mean, std);
      return tf.tensor(values, shape, 'float32');
    },
  };
  return rng;
}

function sizeOf(shape: number[]): number {
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new Error(`rng: a tensor shape needs non-negative integer dimensions, got [${shape.join(', ')}]`);
    }
    size *= dim;
  }
  return size;
}
