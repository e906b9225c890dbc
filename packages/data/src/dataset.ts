import { createRng } from '@selfsup/backend';

/**
 * A sequence of examples that can be iterated once per epoch. `iterate(epoch)` is deterministic
 * for a given epoch, so a resumed run sees the same order as an uninterrupted one.
 */
export interface Dataset<T> {
  /** Number of items per epoch, when known. */
  readonly size: number | undefined;
  iterate(epoch: number): AsyncIterable<T>;
}

/** A dataset over an in-memory array (the items are not copied). */
export function fromArray<T>(items: readonly T[]): Dataset<T> {
  return {
    size: items.length,
    async *iterate() {
      yield* items;
    },
  };
}

/** A streaming dataset: `source(epoch)` yields the items of an epoch (e.g. files read lazily). */
export function fromSource<T>(source: (epoch: number) => AsyncIterable<T>, size?: number): Dataset<T> {
  return { size, iterate: source };
}

/** 0, 1, …, count − 1: the usual start of an in-memory pipeline (indices into arrays). */
export function rangeDataset(count: number): Dataset<number> {
  return {
    size: count,
    async *iterate() {
      for (let i = 0; i < count; i++) yield i;
    },
  };
}

export interface ShuffleOptions {
  seed: number | string;
  /**
   * Items held in the shuffle buffer when the size is unknown or larger (streaming); by default a
   * dataset of known size is shuffled completely (an exact permutation per epoch).
   */
  bufferSize?: number;
}

/**
 * Reshuffles every epoch from a seeded stream forked per epoch: the same (seed, epoch) gives the
 * same order. Datasets of known size get a full permutation (items are collected first); streams
 * use a buffer of `bufferSize` items.
 */
export function shuffled<T>(dataset: Dataset<T>, options: ShuffleOptions): Dataset<T> {
  return {
    size: dataset.size,
    async *iterate(epoch) {
      const rng = createRng(options.seed).fork(`epoch-${epoch}`);
      const bufferSize = options.bufferSize ?? Number.POSITIVE_INFINITY;
      const buffer: T[] = [];
      for await (const item of dataset.iterate(epoch)) {
        if (buffer.length < bufferSize) {
          buffer.push(item);
          continue;
        }
        const index = rng.int(buffer.length);
        yield buffer[index] as T;
        buffer[index] = item;
      }
      rng.shuffle(buffer);
      yield* buffer;
    },
  };
}

/** Groups items into arrays of `batchSize`; the last, smaller batch is dropped with `dropRemainder`. */
export function batched<T>(
  dataset: Dataset<T>,
  batchSize: number,
  options: { dropRemainder?: boolean } = {},
): Dataset<T[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`batched: batchSize must be a positive integer, got ${batchSize}`);
  const dropRemainder = options.dropRemainder ?? false;
  const size =
    dataset.size === undefined
      ? undefined
      : dropRemainder
        ? Math.floor(dataset.size / batchSize)
        : Math.ceil(dataset.size / batchSize);
  return {
    size,
    async *iterate(epoch) {
      let batch: T[] = [];
      for await (const item of dataset.iterate(epoch)) {
        batch.push(item);
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0 && !dropRemainder) yield batch;
    },
  };
}

/** Applies `transform` (sync or async) to every item. */
export function mapped<T, U>(dataset: Dataset<T>, transform: (item: T, epoch: number) => U | Promise<U>): Dataset<U> {
  return {
    size: dataset.size,
    async *iterate(epoch) {
      for await (const item of dataset.iterate(epoch)) yield await transform(item, epoch);
    },
  };
}

/**
 * Prepares up to `depth` items ahead while the consumer works on the current one: asynchronous
 * preparation (file reads, sharp decoding in libuv's thread pool) overlaps the training step.
 */
export function prefetched<T>(dataset: Dataset<T>, depth = 2): Dataset<T> {
  if (!Number.isInteger(depth) || depth < 1)
    throw new Error(`prefetched: depth must be a positive integer, got ${depth}`);
  return {
    size: dataset.size,
    async *iterate(epoch) {
      const iterator = dataset.iterate(epoch)[Symbol.asyncIterator]();
      const pending: Array<Promise<IteratorResult<T>>> = [];
      for (let i = 0; i < depth; i++) pending.push(iterator.next());
      for (;;) {
        const next = await (pending.shift() as Promise<IteratorResult<T>>);
        if (next.done) return;
        pending.push(iterator.next());
        yield next.value;
      }
    },
  };
}

/**
 * Splits item indices 0..count−1 into train and test sets by a seeded permutation.
 * @throws if testFraction is not in (0, 1).
 */
export function trainTestSplit(
  count: number,
  options: { testFraction: number; seed: number | string },
): { train: number[]; test: number[] } {
  if (!(options.testFraction > 0 && options.testFraction < 1)) {
    throw new Error(`trainTestSplit: testFraction must be in (0, 1), got ${options.testFraction}`);
  }
  const order = Array.from(createRng(options.seed).fork('split').permutation(count));
  const testCount = Math.round(count * options.testFraction);
  return { test: order.slice(0, testCount).sort((a, b) => a - b), train: order.slice(testCount).sort((a, b) => a - b) };
}
