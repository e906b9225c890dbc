import { createRng, type Tensor, tf } from '@selfsup/backend';

export interface TokenBatchesOptions {
  batchSize: number;
  /** The shape of one sample: [length] for sequences, [segments, length] for segment groups. */
  sampleShape: readonly number[];
  /** Seeds the per-epoch shuffle. */
  seed: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Drop the last, smaller batch (default false). */
  dropRemainder?: boolean;
}

/** What `pretrain` consumes: batches per epoch, iterable once per epoch (the `Dataset` of `@selfsup/data`). */
export interface TokenBatchDataset {
  readonly size: number;
  iterate(epoch: number): AsyncIterable<Tensor>;
}

/**
 * Batches of token-id samples as int32 tensors [batch, ...sampleShape], in a fresh seeded order
 * each epoch (the same (seed, epoch) gives the same order, so resumed runs see the same data).
 * Samples stay in their typed arrays; each batch's tensor is made when it is consumed, and the
 * consumer disposes it (as `pretrain` does).
 *
 * @example
 * const data = tokenBatches(blocks, { batchSize: 32, sampleShape: [128], seed: 0 });
 * @throws if a sample does not have the size of `sampleShape` or the batch size is not positive.
 */
export function tokenBatches(samples: readonly Int32Array[], options: TokenBatchesOptions): TokenBatchDataset {
  const { batchSize, sampleShape } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`tokenBatches: batchSize must be a positive integer, got ${batchSize}`);
  }
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1);
  samples.forEach((sample, i) => {
    if (sample.length !== sampleSize) {
      throw new Error(
        `tokenBatches: sample ${i} has ${sample.length} ids, but the sample shape [${sampleShape}] needs ${sampleSize}`,
      );
    }
  });
  const count = samples.length;
  const size = options.dropRemainder ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
  return {
    size,
    async *iterate(epoch: number) {
      const order =
        options.shuffle === false
          ? Int32Array.from({ length: count }, (_, i) => i)
          : createRng(options.seed).fork(`epoch-${epoch}`).permutation(count);
      for (let batch = 0; batch < size; batch++) {
        const indices = order.subarray(batch * batchSize, Math.min(count, (batch + 1) * batchSize));
        const values = new Int32Array(indices.length * sampleSize);
        indices.forEach((index, row) => {
          values.set(samples[index] as Int32Array, row * sampleSize);
        });
        yield tf.tensor(values, [indices.length, ...sampleShape], 'int32');
      }
    },
  };
}
