import type { Tensor } from '@selfsup/backend';

/** Token ids read from a samples tensor, with its shape. */
export interface TokenIds {
  ids: Int32Array;
  shape: number[];
}

/**
 * Reads a tensor of token ids (int32, or float32 holding integers) of the expected rank.
 * @throws naming the task when the rank or the values are wrong.
 */
export function readTokenIds(samples: Tensor, rank: number, layout: string, taskId: string): TokenIds {
  if (samples.rank !== rank) {
    throw new Error(`${taskId}: samples must be token ids ${layout}; got a tensor of shape [${samples.shape}]`);
  }
  if (samples.dtype === 'int32') return { ids: samples.dataSync() as Int32Array, shape: samples.shape };
  if (samples.dtype !== 'float32') {
    throw new Error(`${taskId}: samples must be int32 token ids, got dtype ${samples.dtype}`);
  }
  const values = samples.dataSync() as Float32Array;
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isInteger(value)) throw new Error(`${taskId}: samples hold ${value}, which is not a token id`);
    ids[i] = value;
  }
  return { ids, shape: samples.shape };
}
