import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../init-backend.js';
import { assertNoTensorLeak } from '../memory.js';
import { maxRelativeError, randomValues, runOn } from '../testing/backend-parity.js';
import { tilePlan } from './tile.js';

const TOLERANCE = 1e-4;
type Input = { shape: number[]; values: Float32Array | Int32Array };

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

async function expectParity(
  inputs: Input[],
  compute: (...tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<void> {
  const expected = await runOn('cpu', inputs, compute);
  const actual = await runOn('wasm', inputs, compute);
  actual.forEach((output, i) => {
    expect(maxRelativeError(output, expected[i] as (typeof expected)[number])).toBeLessThan(TOLERANCE);
  });
}

function ints(shape: number[], values: number[]): Input {
  return { shape, values: Int32Array.from(values) };
}

describe('UnsortedSegmentSum on wasm', () => {
  it('sums rows with repeated ids like cpu', async () => {
    await expectParity([randomValues([6, 4], 1), ints([6], [2, 0, 2, 4, 0, 2])], (x, ids) =>
      tf.unsortedSegmentSum(x as tf.Tensor, ids as tf.Tensor1D, 5),
    );
  });

  it('handles rank-2 segment ids like the flattened rank-1 case', async () => {
    const x = randomValues([2, 3, 5], 2);
    const ids = [1, 1, 0, 3, 1, 0];
    const [expected] = await runOn('cpu', [x, ints([6], ids)], (xs, flat) =>
      tf.unsortedSegmentSum(tf.reshape(xs as tf.Tensor, [6, 5]), flat as tf.Tensor1D, 4),
    );
    const [actual] = await runOn(
      'wasm',
      [x, ints([2, 3], ids)],
      (xs, rank2) =>
        tf
          .engine()
          .runKernel(
            tf.UnsortedSegmentSum,
            { x: xs as tf.Tensor, segmentIds: rank2 as tf.Tensor },
            { numSegments: 4 },
          ) as tf.Tensor,
    );
    expect(maxRelativeError(actual!, expected!)).toBeLessThan(TOLERANCE);
  });

  it('drops ids outside [0, numSegments) as TensorFlow does', async () => {
    const result = await runOn(
      'wasm',
      [{ shape: [4, 2], values: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }, ints([4], [0, -1, 2, 1])],
      (x, ids) => tf.unsortedSegmentSum(x as tf.Tensor, ids as tf.Tensor1D, 2),
    );
    expect(Array.from(result[0]?.values ?? [])).toEqual([1, 2, 7, 8]);
  });

  it('gives embedding (gather) gradients like cpu', async () => {
    await expectParity(
      [
        randomValues([10, 6], 3),
        ints([4, 5], [1, 3, 3, 9, 0, 1, 1, 2, 7, 7, 5, 4, 3, 3, 3, 0, 8, 6, 2, 1]),
        randomValues([4, 5, 6], 4),
      ],
      (table, ids, dy) =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids as tf.Tensor), dy as tf.Tensor)))(table as tf.Tensor),
    );
  });
});

describe('matMul with transposed operands on wasm', () => {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`transposeA=${transposeA} transposeB=${transposeB}, batch 1 and 3, small and one-GEMM-per-matrix sizes`, async () => {
      const a2 = randomValues(transposeA ? [7, 5] : [5, 7], 5);
      const b2 = randomValues(transposeB ? [4, 7] : [7, 4], 6);
      await expectParity([a2, b2], (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, transposeA, transposeB));
      // [m, k] × [k, n] per matrix: 5 × 7 × 4 runs the batched kernel; 32 × 40 × 32 multiply-adds
      // are past the threshold where each matrix gets its own GEMM.
      for (const [m, k, n, seed] of [
        [5, 7, 4, 7],
        [32, 40, 32, 14],
      ] as const) {
        const a3 = randomValues(transposeA ? [3, k, m] : [3, m, k], seed);
        const b3 = randomValues(transposeB ? [3, n, k] : [3, k, n], seed + 1);
        await expectParity([a3, b3], (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, transposeA, transposeB));
      }
    });
  }

  it('batches of matrices large enough to run one GEMM each: batch broadcasting, rank 4, gradients', async () => {
    // A batch of 1 against a batch (either side), and attention's rank-4 [batch, heads, tokens, dim].
    await expectParity([randomValues([1, 32, 40], 16), randomValues([5, 40, 32], 17)], (x, y) =>
      tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D),
    );
    await expectParity([randomValues([4, 32, 40], 18), randomValues([1, 40, 32], 19)], (x, y) =>
      tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D),
    );
    await expectParity([randomValues([2, 3, 32, 40], 20), randomValues([2, 3, 32, 40], 21)], (q, k) =>
      tf.grads((qi: tf.Tensor, ki: tf.Tensor) =>
        tf.sum(
          tf.tanh(
            tf.matMul(tf.softmax(tf.matMul(qi as tf.Tensor4D, ki as tf.Tensor4D, false, true)), ki as tf.Tensor4D),
          ),
        ),
      )([q as tf.Tensor, k as tf.Tensor]),
    );
  });

  it('fused matMul with bias and relu, transposed', async () => {
    await expectParity([randomValues([6, 5], 9), randomValues([4, 6], 10), randomValues([4], 11)], (a, b, bias) =>
      tf.fused.matMul({
        a: a as tf.Tensor2D,
        b: b as tf.Tensor2D,
        transposeA: true,
        transposeB: true,
        bias: bias as tf.Tensor,
        activation: 'relu',
      }),
    );
  });

  it('dense layer gradients', async () => {
    await expectParity([randomValues([8, 5], 12), randomValues([5, 3], 13)], (x, w) =>
      tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.tanh(tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D))))([
        x as tf.Tensor,
        w as tf.Tensor,
      ]),
    );
  });
});

describe('Tile on wasm', () => {
  it('plans one repeat per tiled axis, merging untiled axes and size-1 tiled axes', () => {
    expect(tilePlan([1, 1, 1, 8], [4, 5, 5, 1])).toEqual([{ outer: 1, chunk: 8, reps: 100 }]);
    expect(tilePlan([2, 3, 1], [4, 1, 5])).toEqual([
      { outer: 6, chunk: 1, reps: 5 },
      { outer: 1, chunk: 30, reps: 4 },
    ]);
    expect(tilePlan([5, 5], [1, 1])).toEqual([]);
  });

  for (const [shape, reps] of [
    [
      [1, 1, 1, 8],
      [4, 5, 5, 1],
    ],
    [
      [2, 3],
      [2, 2],
    ],
    [
      [3, 1, 2],
      [1, 4, 1],
    ],
    [
      [2, 2, 2, 2],
      [2, 1, 2, 1],
    ],
  ] as const) {
    it(`tiles [${shape}] by [${reps}] like cpu`, async () => {
      await expectParity([randomValues([...shape], 14)], (x) => tf.tile(x as tf.Tensor, [...reps]));
    });
  }

  it('tiles int32 and high-rank tensors, and bool through the original', async () => {
    await expectParity([ints([2, 3], [1, 2, 3, 4, 5, 6])], (x) => tf.cast(tf.tile(x as tf.Tensor, [2, 3]), 'float32'));
    await expectParity([randomValues([2, 1, 3], 17)], (x) =>
      tf.cast(tf.tile(tf.greater(x as tf.Tensor, 0), [2, 2, 1]), 'float32'),
    );
    await expectParity([randomValues([2, 2, 2, 2], 15)], (x) => tf.tile(x as tf.Tensor, [2, 2, 2, 2]));
    await expectParity([randomValues([2, 1, 3, 1, 2], 16)], (x) => tf.tile(x as tf.Tensor, [1, 4, 2, 3, 1]));
  });
});

describe('OneHot on wasm', () => {
  it('returns real float32 values, also for fractional on/off values', async () => {
    const result = await runOn('wasm', [ints([3], [0, 2, 1])], (ids) => [
      tf.oneHot(ids as tf.Tensor1D, 3, 1, 0, 'float32'),
      tf.oneHot(ids as tf.Tensor1D, 3, 0.9, 0.05, 'float32'),
      tf.cast(tf.oneHot(ids as tf.Tensor1D, 3), 'float32'),
    ]);
    expect(Array.from(result[0]?.values ?? [])).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
    expect(Array.from(result[1]?.values ?? [])).toEqual(
      Array.from(Float32Array.from([0.9, 0.05, 0.05, 0.05, 0.05, 0.9, 0.05, 0.9, 0.05])),
    );
    expect(Array.from(result[2]?.values ?? [])).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0]);
  });
});

describe('composed kernels free their intermediates', () => {
  it('leaves no tensor or wasm buffer behind', async () => {
    const x = tf.tensor4d(randomValues([2, 8, 8, 3], 16).values, [2, 8, 8, 3]);
    const w = tf.tensor4d(randomValues([3, 3, 3, 4], 17).values, [3, 3, 3, 4]);
    const dw = tf.tensor4d(randomValues([3, 3, 3, 2], 18).values, [3, 3, 3, 2]);
    const table = tf.tensor2d(randomValues([10, 4], 19).values, [10, 4]);
    const ids = tf.tensor1d([1, 4, 4, -2, 9], 'int32');
    await assertNoTensorLeak('conv gradients', () =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([
        x,
        w,
      ]),
    );
    await assertNoTensorLeak('depthwise gradients', () =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
      )([x, dw]),
    );
    await assertNoTensorLeak('unsortedSegmentSum', () =>
      tf.tidy(() => tf.unsortedSegmentSum(table.slice(0, 5), ids, 10)),
    );
    await assertNoTensorLeak('matMul transposed', () => tf.matMul(table, table, true, false));
    const batched = tf.tensor3d(randomValues([4, 32, 40], 20).values, [4, 32, 40]);
    await assertNoTensorLeak('batched matMul, one GEMM per matrix', () => tf.matMul(batched, batched, false, true));
    batched.dispose();
    await assertNoTensorLeak('tile', () => tf.tile(table, [3, 2]));
    await assertNoTensorLeak('oneHot', () =>
      tf.tidy(() => tf.oneHot(tf.tensor1d([1, 2], 'int32'), 4, 0.9, 0.1, 'float32')),
    );
    tf.dispose([x, w, dw, table, ids]);
  });
});

describe('Sum and Mean over leading axes on wasm', () => {
  for (const [shape, axes] of [
    [
      [64, 5, 5, 8],
      [0, 1, 2],
    ],
    [[300, 7], [0]],
    [
      [33, 4, 130],
      [1, 0],
    ],
    [
      [20, 3, 5],
      [0, -2],
    ],
    [[40, 6], [1]],
  ] as Array<[number[], number[]]>) {
    for (const keepDims of [false, true]) {
      it(`[${shape}] over [${axes}] keepDims=${keepDims} matches cpu`, async () => {
        await expectParity([randomValues(shape, 30)], (x) => [
          tf.sum(x as tf.Tensor, axes, keepDims),
          tf.mean(x as tf.Tensor, axes, keepDims),
        ]);
      });
    }
  }

  it('keeps float32 accuracy over 400k rows', async () => {
    const rows = 400_000;
    const [result] = await runOn('wasm', [{ shape: [rows, 2], values: new Float32Array(rows * 2).fill(0.1) }], (x) =>
      tf.sum(x as tf.Tensor, 0),
    );
    for (const value of result?.values ?? [])
      expect(Math.abs(value - rows * Math.fround(0.1)) / (rows * 0.1)).toBeLessThan(1e-6);
  });
});

describe('Concat, Slice and GatherV2 on wasm (SIMD chunk copies)', () => {
  for (const axis of [0, 1, 2, 3]) {
    it(`concat along axis ${axis} like cpu, float32 and int32`, async () => {
      const shapes = [0, 1, 2].map((i) => [3, 4, 2, 5].map((s, a) => (a === axis ? s + i : s)));
      await expectParity(
        shapes.map((shape, i) => randomValues(shape, 60 + i)),
        (...xs) => tf.concat(xs, axis),
      );
      await expectParity(
        shapes.map((shape) =>
          ints(
            shape,
            Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => k % 17),
          ),
        ),
        (...xs) => tf.cast(tf.concat(xs, axis), 'float32'),
      );
    });
  }

  for (const [shape, begin, size] of [
    [
      [5, 6, 7],
      [1, 2, 3],
      [3, 2, 4],
    ],
    [
      [5, 6, 7],
      [0, 0, 0],
      [2, 6, 7],
    ],
    [
      [5, 6, 7],
      [2, 0, 0],
      [2, -1, -1],
    ],
    [
      [4, 5, 6, 3],
      [1, 1, 1, 0],
      [2, 3, 4, 3],
    ],
    [
      [4, 5, 6, 3],
      [0, 2, 0, 1],
      [4, 2, 6, 2],
    ],
    [[9], [3], [4]],
  ] as Array<[number[], number[], number[]]>) {
    it(`slice [${shape}] at [${begin}] size [${size}] like cpu`, async () => {
      await expectParity([randomValues(shape, 70)], (x) => tf.slice(x as tf.Tensor, begin, size));
    });
  }

  it('split and gather along every axis like cpu, and reject out-of-range indices', async () => {
    await expectParity([randomValues([6, 4, 3], 80)], (x) => tf.split(x as tf.Tensor, [1, 3], 1));
    for (const axis of [0, 1, 2]) {
      await expectParity([randomValues([6, 4, 3], 81), ints([5], [2, 0, 2, 1, 0])], (x, idx) =>
        tf.gather(x as tf.Tensor, idx as tf.Tensor1D, axis),
      );
    }
    await expectParity([randomValues([6, 4], 82), ints([2, 2], [5, 0, 3, 3])], (x, idx) =>
      tf.gather(x as tf.Tensor, idx as tf.Tensor),
    );
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => tf.gather(x, tf.tensor1d([2], 'int32'))).toThrow('GatherV2: the index value 2 is not in [0, 1]');
    x.dispose();
  });
});

describe('CropAndResize on wasm', () => {
  it('matches cpu for boxes inside, outside, flipped and degenerate, 1 and 3 channels', async () => {
    const boxes = {
      shape: [5, 4],
      values: Float32Array.from([
        0.1, 0.2, 0.9, 0.7, 0, 0, 1, 1, -0.2, 0.3, 0.5, 1.3, 0.2, 0.8, 0.7, 0.1, 0.5, 0.5, 0.5, 0.5,
      ]),
    };
    for (const channels of [1, 3]) {
      await expectParity([randomValues([2, 9, 11, channels], 90), boxes, ints([5], [0, 1, 1, 0, 1])], (image, b, idx) =>
        tf.image.cropAndResize(image as tf.Tensor4D, b as tf.Tensor2D, idx as tf.Tensor1D, [7, 5], 'bilinear', 0.25),
      );
      await expectParity(
        [
          randomValues([1, 6, 6, channels], 91),
          { shape: [1, 4], values: Float32Array.from([0.2, 0.2, 0.8, 0.8]) },
          ints([1], [0]),
        ],
        (image, b, idx) => tf.image.cropAndResize(image as tf.Tensor4D, b as tf.Tensor2D, idx as tf.Tensor1D, [1, 1]),
      );
    }
  });
});
