import { type Tensor2D, tf, variableFromTensor } from '@selfsup/backend';

/** A checkpointable copy of a queue's contents. */
export interface MemoryQueueState {
  keys: Float32Array;
  pointer: number;
  filled: number;
}

/**
 * MoCo's dictionary: a fixed-size FIFO of past keys [size, dim] (He et al. 2020). `enqueue`
 * overwrites the oldest keys (wrapping around); the queue never holds more than `size` keys and
 * keeps one buffer for its whole life, so enqueueing never leaks.
 *
 * @example
 * const queue = new MemoryQueue(4096, 128);
 * const loss = infoNCE(q, k, queue.keys());
 * queue.enqueue(k);
 */
export class MemoryQueue {
  private readonly buffer: ReturnType<typeof variableFromTensor>;
  private pointer = 0;
  private filledCount = 0;

  constructor(
    readonly size: number,
    readonly dim: number,
  ) {
    if (!Number.isInteger(size) || size < 1 || !Number.isInteger(dim) || dim < 1) {
      throw new Error(`MemoryQueue: size and dim must be positive integers; got ${size} and ${dim}`);
    }
    this.buffer = variableFromTensor(tf.zeros([size, dim]), { trainable: false });
  }

  /** Keys currently held. */
  get filled(): number {
    return this.filledCount;
  }

  /** The held keys, oldest slots first in storage order: [filled, dim] (a new tensor). */
  keys(): Tensor2D {
    return tf.tidy(() => tf.slice(this.buffer, [0, 0], [this.filledCount, this.dim]) as Tensor2D);
  }

  /** Adds keys [batch, dim] (no gradient flows into the queue). A batch larger than the queue keeps its last `size` rows. */
  enqueue(keys: Tensor2D): void {
    if (keys.rank !== 2 || keys.shape[1] !== this.dim) {
      throw new Error(`MemoryQueue.enqueue: keys must be [batch, ${this.dim}]; got [${keys.shape}]`);
    }
    const batch = keys.shape[0];
    const incoming = batch > this.size ? tf.slice(keys, [batch - this.size, 0], [this.size, this.dim]) : keys;
    const count = Math.min(batch, this.size);
    tf.tidy(() => {
      const rows = (from: tf.Tensor, begin: number, count_: number) => tf.slice(from, [begin, 0], [count_, this.dim]);
      const end = this.pointer + count;
      const pieces =
        end <= this.size
          ? // [kept before | new | kept after]
            [rows(this.buffer, 0, this.pointer), incoming, rows(this.buffer, end, this.size - end)]
          : // the new keys wrap: [their tail | kept middle | their head]
            [
              rows(incoming, this.size - this.pointer, end - this.size),
              rows(this.buffer, end - this.size, this.size - count),
              rows(incoming, 0, this.size - this.pointer),
            ];
      this.buffer.assign(
        tf.concat(
          pieces.filter((piece) => piece.shape[0] > 0),
          0,
        ),
      );
    });
    if (incoming !== keys) incoming.dispose();
    this.pointer = (this.pointer + count) % this.size;
    this.filledCount = Math.min(this.size, this.filledCount + count);
  }

  /** A copy of the contents, for checkpoints. */
  state(): MemoryQueueState {
    return { keys: Float32Array.from(this.buffer.dataSync()), pointer: this.pointer, filled: this.filledCount };
  }

  /** Restores a state from {@link state}. @throws when it is for another size or dim. */
  restore(state: MemoryQueueState): void {
    if (state.keys.length !== this.size * this.dim) {
      throw new Error(
        `MemoryQueue.restore: the state holds ${state.keys.length} values, this queue ${this.size}×${this.dim}`,
      );
    }
    tf.tidy(() => this.buffer.assign(tf.tensor2d(state.keys, [this.size, this.dim])));
    this.pointer = state.pointer;
    this.filledCount = state.filled;
  }

  dispose(): void {
    this.buffer.dispose();
  }
}
