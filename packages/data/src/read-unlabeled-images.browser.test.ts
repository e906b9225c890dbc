import { assertNoTensorLeak, initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readUnlabeledImages } from './read-unlabeled-images.js';

/** Files served by Vite: literal `new URL(file, import.meta.url)`, the pattern bundlers rewrite. */
const IMAGES: Record<string, URL> = {
  png: new URL('../../augment/test-data/images/gradient.png', import.meta.url),
  jpg: new URL('../../augment/test-data/images/gradient.jpg', import.meta.url),
  gray: new URL('../../augment/test-data/images/nested/gray.png', import.meta.url),
  empty: new URL('../../augment/test-data/bad/empty.png', import.meta.url),
};
const blobOf = async (name: string) => (await fetch(IMAGES[name] as URL)).blob();
const options = { size: [6, 8] as [number, number], channels: 3 as const };

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('readUnlabeledImages in a page', () => {
  it('reads a FileSystemDirectoryHandle and picked Files to the same bytes, listing the unreadable', async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(`unlabeled-${Date.now()}`, { create: true });
    const put = async (folder: string, name: string, image: string) => {
      const handle = await (await dir.getDirectoryHandle(folder, { create: true })).getFileHandle(name, {
        create: true,
      });
      const writable = await handle.createWritable();
      await writable.write(await blobOf(image));
      await writable.close();
    };
    await put('b', 'one.png', 'png');
    await put('b', 'two.jpg', 'jpg');
    await put('a', 'three.png', 'gray');
    await put('a', 'empty.png', 'empty');
    const fromHandle = await assertNoTensorLeak('readUnlabeledImages', () => readUnlabeledImages(dir, options));
    expect(fromHandle.images).toMatchObject({ count: 3, height: 6, width: 8, channels: 3 });
    expect(fromHandle.skipped).toEqual([{ path: 'a/empty.png', reason: 'zero-byte file' }]);

    const picked = async (path: string, image: string) => {
      const file = new File([await blobOf(image)], path.split('/').pop() as string);
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      return file;
    };
    const files = await Promise.all([
      picked('photos/b/one.png', 'png'),
      picked('photos/a/three.png', 'gray'),
      picked('photos/b/two.jpg', 'jpg'),
      picked('photos/b/notes.txt', 'png'),
      picked('photos/a/empty.png', 'empty'),
    ]);
    const fromFiles = await readUnlabeledImages(files, options);
    expect(fromFiles.images.images).toEqual(fromHandle.images.images);
    expect(fromFiles.skipped).toEqual([{ path: 'photos/a/empty.png', reason: 'zero-byte file' }]);
  });

  it('says a path is Node-only and names the browser alternatives; an empty pick is refused', async () => {
    await expect(readUnlabeledImages('photos/', options)).rejects.toThrow(
      /readUnlabeledImages\('photos\/'\): reading a path is Node-only; in a browser pass a FileSystemDirectoryHandle/,
    );
    await expect(readUnlabeledImages([], options)).rejects.toThrow('readUnlabeledImages(files): no readable images');
  });
});
