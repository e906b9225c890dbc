import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRegistries } from '../registries/registries.js';
import { makeVideoFolder } from '../testing/make-video-folder.js';
import { chooseDataKind } from './data-kind.js';
import { loadRunConfig } from './load-config.js';

/** Real image files of every kind the image reader takes (augment's test images). */
const images = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'augment', 'test-data', 'images');
const scratch = () => mkdtempSync(join(tmpdir(), 'selfsup-data-kind-'));

/** Copies real images into `dir` under the given names (sub-folders made as needed). */
function copyImages(dir: string, names: string[]): void {
  const sources = ['gradient.png', 'gradient.jpg', 'gradient.webp', 'gradient.gif', 'gradient.tiff'];
  names.forEach((name, index) => {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    copyFileSync(join(images, sources[index % sources.length] as string), join(dir, name));
  });
}

describe('chooseDataKind', () => {
  it('takes an image folder holding a stray notes.txt for images, at any depth and whatever the case of the endings', async () => {
    const dir = scratch();
    copyImages(dir, ['a/b/c/d/e/f/one.png', 'a/b/c/d/e/f/TWO.JPG', 'a/b/c/d/e/f/three.Webp']);
    writeFileSync(join(dir, 'notes.txt'), 'shot on a rainy day\n');
    writeFileSync(join(dir, '.DS_Store'), 'hidden files are nobody’s data');
    const choice = await chooseDataKind(dir);
    expect(choice).toEqual({
      kind: 'image-folder',
      decidedBy: 'files',
      counts: { image: 3, video: 0, text: 1, other: 0 },
      reason: `most data files under ${dir} are images (3 images, 1 text file)`,
    });
    // Only the folder itself, not its sub-folders: the stray text file is all there is.
    expect((await chooseDataKind(dir, { recursive: false })).kind).toBe('text-corpus');
  });

  it('decides by the majority: a folder of text files with one photo is a text corpus; a tie goes to images', async () => {
    const text = scratch();
    writeFileSync(join(text, 'a.txt'), 'One sentence.\n');
    writeFileSync(join(text, 'b.MD'), 'Another.\n');
    copyImages(text, ['cover.png']);
    expect(await chooseDataKind(text)).toMatchObject({
      kind: 'text-corpus',
      reason: `most data files under ${text} are text files (1 image, 2 text files)`,
    });
    const tie = scratch();
    writeFileSync(join(tie, 'notes.txt'), 'x\n');
    copyImages(tie, ['photo.png']);
    expect(await chooseDataKind(tie)).toMatchObject({
      kind: 'image-folder',
      reason: `images and text files are as many under ${tie}, and images come first (1 image, 1 text file)`,
    });
  });

  it('counts videos by the video reader’s endings, and files no reader takes as other', async () => {
    const dir = scratch();
    await makeVideoFolder(dir, { count: 2, frames: 4 }); // two videos and their manifest.json
    copyImages(dir, ['poster.png']);
    writeFileSync(join(dir, 'labels.csv'), 'file,label\n');
    expect(await chooseDataKind(dir)).toMatchObject({
      kind: 'video-folder',
      counts: { image: 1, video: 2, text: 0, other: 2 },
      reason: `most data files under ${dir} are videos (1 image, 2 videos, 2 other files)`,
    });
  });

  it('decides by the path for a text file, an IDX directory and what is not a folder', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'corpus.TXT'), 'text\n');
    expect(await chooseDataKind(join(dir, 'corpus.TXT'))).toMatchObject({ kind: 'text-corpus', decidedBy: 'path' });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), '');
    expect(await chooseDataKind(dir)).toMatchObject({ kind: 'idx', decidedBy: 'path' });
    expect(await chooseDataKind(join(dir, 'missing'))).toMatchObject({ kind: 'image-folder', decidedBy: 'path' });
    const empty = scratch();
    writeFileSync(join(empty, 'README'), 'nothing to train on\n');
    expect(await chooseDataKind(empty)).toMatchObject({
      kind: 'image-folder',
      reason: `${empty} holds no image, video or text files (1 other file)`,
    });
  });
});

describe('loadRunConfig and the data kind', () => {
  it('says which kind it chose and why, and lets data.kind or --data-kind force another', async () => {
    const dir = scratch();
    copyImages(dir, ['photos/deep/er/still/deeper/one.png', 'photos/deep/er/still/deeper/two.png']);
    writeFileSync(join(dir, 'photos', 'notes.txt'), 'a stray note\n');
    const lines: string[] = [];
    const guessed = await loadRunConfig({
      overrides: [{ path: ['data', 'path'], value: 'photos', baseDir: dir }],
      registries: createRegistries(),
      log: (line) => lines.push(line),
    });
    expect(guessed.config.data.kind).toBe('image-folder');
    expect(guessed.dataKind).toMatchObject({ kind: 'image-folder', counts: { image: 2, text: 1 } });
    expect(lines).toEqual([
      `data.kind image-folder: most data files under ${join(dir, 'photos')} are images (2 images, 1 text file); set data.kind (--data-kind) to choose`,
    ]);

    lines.length = 0;
    const forced = await loadRunConfig({
      overrides: [
        { path: ['data', 'path'], value: 'photos', baseDir: dir },
        { path: ['data', 'kind'], value: 'text-corpus' },
        { path: ['task', 'id'], value: 'bert-mlm' },
      ],
      registries: createRegistries(),
      log: (line) => lines.push(line),
    });
    expect(forced.config.data.kind).toBe('text-corpus');
    expect(forced.dataKind).toBeUndefined();
    expect(lines).toEqual([]);

    writeFileSync(join(dir, 'run.yaml'), 'data: { path: ./photos, kind: image-folder }\n');
    const fromFile = await loadRunConfig({ file: join(dir, 'run.yaml'), registries: createRegistries() });
    expect(fromFile.config.data.kind).toBe('image-folder');
    expect(fromFile.dataKind).toBeUndefined();
  });
});
