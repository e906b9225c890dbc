import { assertNoTensorLeak, initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedFashionMnistDir, loadIdxImages } from './fashion-mnist.js';
import { decodeIdx, readIdx } from './idx.js';
import { isIdxDirectory } from './idx-directory.js';
import { imageFolderDataset } from './image-folder-dataset.js';
import { photoFiles } from './photo-files.js';
import { readLabeledImages } from './read-labeled-images.js';
import { EMBEDDED_SUBSET, summarize } from './test-embedded-subset.js';

/** Files served by Vite: literal `new URL(file, import.meta.url)`, the pattern bundlers rewrite. */
const TEST_LABELS = new URL('../datasets/fashion-mnist-subset/t10k-labels-idx1-ubyte.gz', import.meta.url);
const IMAGES: Record<string, URL> = {
  png: new URL('../../augment/test-data/images/gradient.png', import.meta.url),
  jpg: new URL('../../augment/test-data/images/gradient.jpg', import.meta.url),
  gray: new URL('../../augment/test-data/images/nested/gray.png', import.meta.url),
  empty: new URL('../../augment/test-data/bad/empty.png', import.meta.url),
};
const blobOf = async (name: string) => (await fetch(IMAGES[name] as URL)).blob();

/** An IDX file of two bytes, and its gzip (a server may gunzip the .gz files it serves on the way). */
const PLAIN_IDX = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);
const gzip = async (bytes: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(
    await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer(),
  );

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('@selfsup/data in a browser', () => {
  it('loads the embedded Fashion-MNIST subset with the same call as Node, to the same bytes', async () => {
    for (const split of ['train', 'test'] as const) {
      const set = await assertNoTensorLeak('loadIdxImages', () => loadIdxImages({ split }));
      expect(summarize(set)).toEqual(EMBEDDED_SUBSET[split]);
    }
  });

  it('reads IDX from a folder URL, bytes and Blobs; gunzips with DecompressionStream', async () => {
    const dir = new URL('./', TEST_LABELS);
    expect(summarize(await loadIdxImages({ dir, split: 'test' }))).toEqual(EMBEDDED_SUBSET.test);
    const gzipped = await gzip(PLAIN_IDX);
    expect(Array.from(gzipped.subarray(0, 2))).toEqual([0x1f, 0x8b]);
    expect(Array.from((await readIdx(gzipped)).data)).toEqual([7, 9]);
    expect(Array.from((await readIdx(new Blob([gzipped]))).data)).toEqual([7, 9]);
    expect(Array.from(decodeIdx(PLAIN_IDX, 'mem').data)).toEqual([7, 9]);
    await expect(readIdx(gzipped.subarray(0, 12))).rejects.toThrow(
      /<bytes>: not a readable IDX file \(corrupt or truncated gzip/,
    );
    expect((await readIdx(TEST_LABELS)).dims).toEqual([1000]);
    await expect(loadIdxImages({ dir: new URL('./nowhere/', dir), split: 'test' })).rejects.toThrow(
      /nowhere\/: no t10k-images-idx3-ubyte\[\.gz\]/,
    );
  });

  it('says what is Node-only and names the browser alternative', async () => {
    const gzipped = await gzip(PLAIN_IDX);
    expect(() => decodeIdx(gzipped, 'labels.gz')).toThrow(
      'decodeIdx: labels.gz is gzipped, and gunzipping synchronously is Node-only; in a browser use await readIdx(bytes)',
    );
    await expect(readIdx('data/labels.gz')).rejects.toThrow(
      /readIdx\('data\/labels.gz'\): reading a path is Node-only/,
    );
    await expect(loadIdxImages({ dir: '/usr/share/datasets/fashion-mnist', split: 'test' })).rejects.toThrow(
      /is a folder path, which is Node-only; in a browser leave dir out for the embedded Fashion-MNIST subset, or pass the URL/,
    );
    expect(() => embeddedFashionMnistDir()).toThrow(/Node-only; in a browser call loadIdxImages\(\{ split \}\)/);
    expect(() => isIdxDirectory('data/')).toThrow(/isIdxDirectory\('data\/'\) needs a file system, which is Node-only/);
    await expect(photoFiles()).rejects.toThrow(/photoFiles lists photographs on disk, which is Node-only/);
    await expect(readLabeledImages('labeled/', { size: [4, 4], channels: 3 })).rejects.toThrow(
      /readLabeledImages\('labeled\/'\): reading a path is Node-only; in a browser pass a FileSystemDirectoryHandle/,
    );
  });

  it('reads labeled images from a FileSystemDirectoryHandle and from webkitdirectory Files, one sub-folder per class', async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(`labeled-${Date.now()}`, { create: true });
    const put = async (folder: string, name: string, image: string) => {
      const handle = await (await dir.getDirectoryHandle(folder, { create: true })).getFileHandle(name, {
        create: true,
      });
      const writable = await handle.createWritable();
      await writable.write(await blobOf(image));
      await writable.close();
    };
    await put('cat', 'one.png', 'png');
    await put('cat', 'two.jpg', 'jpg');
    await put('ant', 'three.png', 'gray');
    await put('ant', 'empty.png', 'empty');
    const options = { size: [6, 8] as [number, number], channels: 3 as const };
    const fromHandle = await assertNoTensorLeak('readLabeledImages', () => readLabeledImages(dir, options));
    expect(fromHandle.classes).toEqual(['ant', 'cat']);
    expect(fromHandle.images).toMatchObject({ count: 3, height: 6, width: 8, channels: 3 });
    expect(Array.from(fromHandle.images.labels)).toEqual([0, 1, 1]);
    expect(fromHandle.skipped).toEqual([{ path: 'ant/empty.png', reason: 'zero-byte file' }]);

    const picked = async (path: string, image: string) => {
      const file = new File([await blobOf(image)], path.split('/').pop() as string);
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      return file;
    };
    const files = await Promise.all([
      picked('labeled/cat/one.png', 'png'),
      picked('labeled/ant/three.png', 'gray'),
      picked('labeled/cat/two.jpg', 'jpg'),
      picked('labeled/notes.png', 'png'),
      picked('labeled/cat/notes.txt', 'png'),
      picked('labeled/ant/empty.png', 'empty'),
    ]);
    const fromFiles = await readLabeledImages(files, options);
    expect(fromFiles.classes).toEqual(['ant', 'cat']);
    expect(Array.from(fromFiles.images.labels)).toEqual([0, 1, 1]);
    expect(fromFiles.images.images).toEqual(fromHandle.images.images);
    expect(fromFiles.skipped).toEqual([{ path: 'labeled/ant/empty.png', reason: 'zero-byte file' }]);

    // The same folder, unlabeled: a scanned, shuffled dataset of batches, as a path in Node.
    const dataset = await imageFolderDataset(dir, {
      batchSize: 2,
      size: [8, 8],
      onError: 'skip',
      scan: true,
      shuffleSeed: 0,
    });
    expect(dataset.paths).toEqual(['ant/three.png', 'cat/one.png', 'cat/two.jpg']);
    expect(dataset.report.skipped).toEqual([{ path: 'ant/empty.png', reason: 'zero-byte file' }]);
    expect(dataset.statistics?.mean).toHaveLength(3);
    await assertNoTensorLeak('imageFolderDataset', async () => {
      for await (const batch of dataset.iterate(0)) {
        expect(batch.shape).toEqual([2, 8, 8, 3]);
        batch.dispose();
      }
    });
    await root.removeEntry(dir.name, { recursive: true });
  });
});
