import type { Tensor5D } from '@selfsup/backend';
import { batched, type Dataset, mapped, rangeDataset, shuffled } from '@selfsup/data';
import { bytesToTensor } from './extract-frames.js';
import type { FrameSequences } from './video-folder.js';

/**
 * Gathers sequences by index into a float32 tensor [n, frames, H, W, C] in [0, 1].
 * @throws if an index is outside the sequences.
 */
export function sequenceBatch(sequences: FrameSequences, indices: readonly number[]): Tensor5D {
  const { frames, height, width, channels } = sequences;
  const size = frames * height * width * channels;
  const bytes = new Uint8Array(indices.length * size);
  indices.forEach((index, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= sequences.count) {
      throw new Error(`sequenceBatch: index ${index} is outside the ${sequences.count} sequences`);
    }
    bytes.set(sequences.data.subarray(index * size, (index + 1) * size), k * size);
  });
  return bytesToTensor(bytes, [indices.length, frames, height, width, channels]) as Tensor5D;
}

/**
 * Shuffled (per epoch, seeded) batches of frame sequences [batchSize, frames, H, W, C] in [0, 1],
 * the last incomplete batch dropped — the input of `pretrain` with a video task. Tensors are made
 * lazily; the consumer disposes them.
 *
 * @example
 * const data = sequenceBatches(loaded.sequences, { batchSize: 32, seed: 0 });
 * await pretrain({ objective: taskObjective(orderPredictionTask(), encoder), data, … });
 * @throws if batchSize exceeds the sequences.
 */
export function sequenceBatches(
  sequences: FrameSequences,
  options: { batchSize: number; seed: number | string; dropRemainder?: boolean; indices?: readonly number[] },
): Dataset<Tensor5D> {
  const pool = options.indices ?? Array.from({ length: sequences.count }, (_, i) => i);
  if (options.batchSize > pool.length) {
    throw new Error(`sequenceBatches: batchSize ${options.batchSize} is larger than the ${pool.length} sequences`);
  }
  const order = batched(shuffled(rangeDataset(pool.length), { seed: options.seed }), options.batchSize, {
    dropRemainder: options.dropRemainder ?? true,
  });
  return mapped(order, (batch) =>
    sequenceBatch(
      sequences,
      batch.map((i) => pool[i] as number),
    ),
  );
}
