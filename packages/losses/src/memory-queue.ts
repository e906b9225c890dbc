import { type Rng, type Tensor2D, tf, type Variable, variableFromTensor } from '@selfsup/backend';
import { expectMatrix } from './input-checks.js';
import { l2Normalize } from './l2-normalize.js';

/**
 * A queue's complete state as plain numbers (JSON-safe), from {@link MemoryQueue.state}: the whole
 * `[size, dim]` buffer row-major (unfilled slots are 0), the slot the next key goes to, and how
 * many slots hold keys.
 */
export interface MemoryQueueState {
  keys: number[];
  pointer: number;
  filled: number;
}

/** Options of {@link MemoryQueue}. */
export interface MemoryQueueOptions {
  /**
   * Start full of random unit keys drawn from this generator, as MoCo's official code does
   * (`normalize(randn(dim, K))`), so the first steps already have K negatives. Default: start empty.
   */
  randomInit?: Rng;
}

/**
 * MoCo's dictionary (He et al. 2020, arXiv:1911.05722, §3.2): a fixed-size FIFO of past keys
 * `[size, dim]`. {@link enqueue} writes a batch of keys over the oldest slots (MoCo's
 * `_dequeue_and_enqueue`), wrapping around; the queue never holds more than `size` keys and keeps
 * one buffer (a non-trainable variable) for its whole life, so it leaks nothing however often it
 * is used. The keys are stored as given (the loss normalizes), without gradient.
 *
 * @example
 * const queue = new MemoryQueue(4096, 128);
 * const negatives = queue.keys();
 * const loss = infoNce(q, k, negatives);
 * negatives.dispose();
 * queue.enqueue(k); // after the optimizer step
 * const saved = queue.state(); // plain numbers, for a checkpoint
 */
export class MemoryQueue {
  private readonly buffer: Variable;
  private nextSlot = 0;
  private filledSlots = 0;
  private disposed = false;

  /**
   * @param size how many keys the queue holds (MoCo: 65 536).
   * @param dim the key dimension.
   * @throws when size or dim is not a positive integer.
   */
  constructor(
    readonly size: number,
    readonly dim: number,
    options: MemoryQueueOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 1 || !Number.isInteger(dim) || dim < 1) {
      throw new Error(`MemoryQueue: size and dim must be positive integers; got ${size} and ${dim}`);
    }
    const rng = options.randomInit;
    const initial =
      rng === undefined ? tf.zeros([size, dim]) : tf.tidy(() => l2Normalize(rng.normalTensor([size, dim])));
    this.buffer = variableFromTensor(initial, { trainable: false });
    if (rng !== undefined) this.filledSlots = size;
  }

  /** How many slots hold keys (≤ size). */
  get filled(): number {
    return this.filledSlots;
  }

  /** The slot the next key is written to. */
  get pointer(): number {
    return this.nextSlot;
  }

  private live(where: string): void {
    if (this.disposed) throw new Error(`MemoryQueue.${where}: the queue was disposed`);
  }

  /**
   * The keys held, `[filled, dim]`, in slot order (not age order; InfoNCE does not care). A new
   * tensor the caller disposes; `[0, dim]` while empty.
   */
  keys(): Tensor2D {
    this.live('keys');
    return tf.tidy(() => tf.slice(this.buffer, [0, 0], [this.filledSlots, this.dim]) as Tensor2D);
  }

  /**
   * Writes `keys` `[batch, dim]` into the oldest slots, wrapping around (a batch larger than the
   * queue keeps its last `size` rows). Copies the values: `keys` stays the caller's, and no
   * gradient flows into the queue.
   * @throws when keys is not float32 `[batch, dim]`.
   */
  enqueue(keys: Tensor2D): void {
    this.live('enqueue');
    expectMatrix('MemoryQueue.enqueue', 'keys', keys);
    if (keys.shape[1] !== this.dim) {
      throw new Error(`MemoryQueue.enqueue: keys must be [batch, ${this.dim}]; got [${keys.shape}]`);
    }
    const batch = keys.shape[0];
    const count = Math.min(batch, this.size);
    if (count === 0) return;
    const slots = Array.from({ length: count }, (_, i) => [(this.nextSlot + i) % this.size]);
    tf.tidy(() => {
      const incoming = batch > count ? tf.slice(keys, [batch - count, 0], [count, this.dim]) : keys;
      this.buffer.assign(tf.tensorScatterUpdate(this.buffer, tf.tensor2d(slots, [count, 1], 'int32'), incoming));
    });
    this.nextSlot = (this.nextSlot + count) % this.size;
    this.filledSlots = Math.min(this.size, this.filledSlots + count);
  }

  /** The complete state as plain numbers, for a checkpoint ({@link restore} brings it back exactly). */
  state(): MemoryQueueState {
    this.live('state');
    return { keys: Array.from(this.buffer.dataSync()), pointer: this.nextSlot, filled: this.filledSlots };
  }

  /**
   * Restores a state from {@link state} (keys may also be a Float32Array).
   * @throws when the state is for another size or dim, or its pointer and fill count are inconsistent.
   */
  restore(state: { keys: ArrayLike<number>; pointer: number; filled: number }): void {
    this.live('restore');
    const { keys, pointer, filled } = state;
    if (keys.length !== this.size * this.dim) {
      throw new Error(
        `MemoryQueue.restore: the state holds ${keys.length} values; this queue holds ${this.size}×${this.dim} = ${this.size * this.dim}`,
      );
    }
    const validFill = Number.isInteger(filled) && filled >= 0 && filled <= this.size;
    const validPointer = Number.isInteger(pointer) && pointer >= 0 && pointer < this.size;
    // Until the queue is full, keys occupy slots 0…filled−1 and the pointer is at `filled`.
    if (!validFill || !validPointer || (filled < this.size && pointer !== filled)) {
      throw new Error(
        `MemoryQueue.restore: inconsistent state (pointer ${pointer}, filled ${filled}, size ${this.size})`,
      );
    }
    tf.tidy(() => this.buffer.assign(tf.tensor2d(Float32Array.from(keys), [this.size, this.dim])));
    this.nextSlot = pointer;
    this.filledSlots = filled;
  }

  /** Frees the buffer; the queue cannot be used afterwards. Calling it twice is harmless. */
  dispose(): void {
    if (this.disposed) return;
    this.buffer.dispose();
    this.disposed = true;
  }
}
