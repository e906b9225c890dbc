import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  DEBIAN_FASHION_MNIST_DIR,
  embeddedFashionMnistDir,
  FASHION_MNIST_CLASSES,
  loadIdxImages,
} from './fashion-mnist.js';
import { decodeIdx, readIdx } from './idx.js';
import { EMBEDDED_SUBSET, summarize } from './test-embedded-subset.js';

function idx(dims: number[], data: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => {
    header.writeUInt32BE(d, 4 + 4 * i);
  });
  return Buffer.concat([header, Buffer.from(data)]);
}

describe('IDX decoding', () => {
  it('reads plain and gzipped files', () => {
    const plain = idx([2, 2], [1, 2, 3, 4]);
    for (const bytes of [plain, gzipSync(plain)]) {
      const decoded = decodeIdx(bytes, 'mem');
      expect(decoded.dims).toEqual([2, 2]);
      expect(Array.from(decoded.data)).toEqual([1, 2, 3, 4]);
    }
  });

  it('names the file and the problem for truncated, oversized, corrupt and foreign files', async () => {
    expect(() => decodeIdx(idx([2, 3], [1, 2, 3]), 'a.idx')).toThrow(
      'a.idx: IDX data is truncated: header [2×3] needs 6 bytes, file has 3',
    );
    expect(() => decodeIdx(idx([1], [1, 2]), 'b.idx')).toThrow(/b.idx: IDX data is longer than its header says/);
    expect(() => decodeIdx(gzipSync(idx([2], [1, 2])).subarray(0, 12), 'c.gz')).toThrow(
      /c.gz: not a readable IDX file \(corrupt or truncated gzip/,
    );
    expect(() => decodeIdx(Buffer.from('hello world'), 'd.txt')).toThrow('d.txt: not an IDX file (bad magic number)');
    const floats = idx([1], [0, 0, 0, 0]);
    floats[2] = 0x0d;
    expect(() => decodeIdx(floats, 'e.idx')).toThrow(
      'e.idx: IDX data type 0xd is not supported (only unsigned bytes, 0x08)',
    );
    await expect(readIdx('/nonexistent/file.idx')).rejects.toThrow(
      '/nonexistent/file.idx: cannot read IDX file (ENOENT)',
    );
  });

  it('checks that images and labels agree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx([2, 1, 1], [5, 6]));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([3], [0, 1, 2]));
    await expect(loadIdxImages({ dir, split: 'train' })).rejects.toThrow(/3 labels do not match the 2 images/);
    await expect(loadIdxImages({ dir, split: 'test' })).rejects.toThrow(/no t10k-images-idx3-ubyte\[\.gz\]/);
  });
});

describe('embedded Fashion-MNIST subset', () => {
  it('has 600 training and 100 test images of each class, 28×28', async () => {
    for (const [split, perClass] of [
      ['train', 600],
      ['test', 100],
    ] as const) {
      const set = await loadIdxImages({ split });
      expect([set.count, set.height, set.width]).toEqual([perClass * 10, 28, 28]);
      const counts = new Array(FASHION_MNIST_CLASSES.length).fill(0);
      for (const label of set.labels) counts[label]++;
      expect(counts).toEqual(new Array(10).fill(perClass));
      expect(set.images.length).toBe(set.count * 784);
      expect(summarize(set)).toEqual(EMBEDDED_SUBSET[split]); // the browser test checks the same numbers
    }
  });

  it('reads IDX files from a file URL, a Blob and bytes, and a directory given as a file URL', async () => {
    const dir = embeddedFashionMnistDir();
    const path = join(dir, 't10k-labels-idx1-ubyte.gz');
    const bytes = new Uint8Array(readFileSync(path));
    for (const source of [pathToFileURL(path), new Blob([bytes]), bytes]) {
      expect((await readIdx(source)).dims).toEqual([1000]);
    }
    const fromUrl = await loadIdxImages({ dir: pathToFileURL(dir), split: 'test' });
    expect(summarize(fromUrl)).toEqual(EMBEDDED_SUBSET.test);
  });

  it.runIf(existsSync(DEBIAN_FASHION_MNIST_DIR))(
    'is the first images of each class of the full dataset (when installed)',
    async () => {
      const full = await loadIdxImages({ dir: DEBIAN_FASHION_MNIST_DIR, split: 'test' });
      const subset = await loadIdxImages({ split: 'test' });
      expect(full.count).toBe(10_000);
      const firstOfClass = new Map<number, number>();
      for (let i = 0; i < full.count && firstOfClass.size < 10; i++)
        if (!firstOfClass.has(full.labels[i] as number)) firstOfClass.set(full.labels[i] as number, i);
      const subsetFirst = subset.labels.indexOf(3);
      const fullFirst = firstOfClass.get(3) as number;
      expect(Array.from(subset.images.subarray(subsetFirst * 784, subsetFirst * 784 + 784))).toEqual(
        Array.from(full.images.subarray(fullFirst * 784, fullFirst * 784 + 784)),
      );
    },
  );
});
