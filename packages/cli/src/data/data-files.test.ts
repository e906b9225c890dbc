import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ignoredFilesLine, listDataFiles, reportIgnoredFiles } from './data-files.js';

const images = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'augment', 'test-data', 'images');

/** A folder of real images (png, JPG, gif) with a note, a CSV, a video's name and a hidden file. */
function mixedFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'selfsup-data-files-'));
  mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
  copyFileSync(join(images, 'gradient.png'), join(dir, 'a.png'));
  copyFileSync(join(images, 'gradient.jpg'), join(dir, 'deep', 'er', 'B.JPG'));
  copyFileSync(join(images, 'gradient.gif'), join(dir, 'deep', 'c.gif'));
  writeFileSync(join(dir, 'notes.txt'), 'a note\n');
  writeFileSync(join(dir, 'labels.csv'), 'file,label\n');
  writeFileSync(join(dir, 'deep', 'clip.MP4'), 'named like a video\n');
  writeFileSync(join(dir, '.DS_Store'), '');
  return dir;
}

describe('listDataFiles', () => {
  it('sorts every file by the reader that takes it, case-insensitively, hidden files aside', async () => {
    const dir = mixedFolder();
    expect(await listDataFiles(dir, { recursive: true })).toEqual({
      image: [join(dir, 'a.png'), join(dir, 'deep', 'c.gif'), join(dir, 'deep', 'er', 'B.JPG')],
      video: [join(dir, 'deep', 'clip.MP4')],
      text: [join(dir, 'notes.txt')],
      other: [join(dir, 'labels.csv')],
    });
    expect(await listDataFiles(dir, { recursive: false })).toEqual({
      image: [join(dir, 'a.png')],
      video: [],
      text: [join(dir, 'notes.txt')],
      other: [join(dir, 'labels.csv')],
    });
  });
});

describe('reportIgnoredFiles', () => {
  it('names what each reader leaves out, in one line', async () => {
    const dir = mixedFolder();
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    expect(await reportIgnoredFiles(dir, 'image', { recursive: true, log })).toEqual([
      join(dir, 'deep', 'clip.MP4'),
      join(dir, 'labels.csv'),
      join(dir, 'notes.txt'),
    ]);
    // The video reader takes GIFs too.
    expect(await reportIgnoredFiles(dir, 'video', { recursive: true, log })).toEqual([
      join(dir, 'a.png'),
      join(dir, 'deep', 'er', 'B.JPG'),
      join(dir, 'labels.csv'),
      join(dir, 'notes.txt'),
    ]);
    expect(await reportIgnoredFiles(join(dir, 'notes.txt'), 'text', { recursive: true, log })).toEqual([]);
    expect(lines).toEqual([
      `ignored 3 files under ${dir} that are not an image: deep/clip.MP4, labels.csv, notes.txt`,
      `ignored 4 files under ${dir} that are not a video: a.png, deep/er/B.JPG, labels.csv, notes.txt`,
    ]);
  });

  it('shows the first five of many', () => {
    const many = Array.from({ length: 7 }, (_, i) => `/d/${i}.txt`);
    expect(ignoredFilesLine('/d', many, 'image')).toBe(
      'ignored 7 files under /d that are not an image: 0.txt, 1.txt, 2.txt, 3.txt, 4.txt, … (2 more)',
    );
    expect(ignoredFilesLine('/d', ['/d/a.png'], 'text')).toBe('ignored 1 file under /d that is not text: a.png');
    expect(ignoredFilesLine('/d', [], 'text')).toBeUndefined();
  });
});
