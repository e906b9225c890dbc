import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOD_IMAGES } from '../test-helpers.js';
import { listImageFiles } from './list-image-files.js';

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('listImageFiles', () => {
  it('lists image files in sorted order, files before sub-folders, recursively', async () => {
    const files = await collect(listImageFiles(GOOD_IMAGES));
    expect(files.map((f) => f.slice(GOOD_IMAGES.length + 1))).toEqual([
      'gradient.gif',
      'gradient.jpg',
      'gradient.png',
      'gradient.tiff',
      'gradient.webp',
      'nested/alpha.png',
      'nested/gradient.avif',
      'nested/gray.png',
    ]);
    expect(await collect(listImageFiles(GOOD_IMAGES, { recursive: false }))).toHaveLength(5);
    expect(await collect(listImageFiles(GOOD_IMAGES, { extensions: ['.PNG'] }))).toHaveLength(3);
  });

  it('filters by extension case-insensitively, follows links to files, and names an unreadable folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'list-'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'B.JPG'), 'x');
    writeFileSync(join(dir, 'a.txt'), 'x');
    writeFileSync(join(dir, 'b', 'c.png'), 'x');
    symlinkSync(join(dir, 'b', 'c.png'), join(dir, 'link.png'));
    symlinkSync(join(dir, 'missing.png'), join(dir, 'dangling.png'));
    symlinkSync(dir, join(dir, 'b', 'loop'));
    expect((await collect(listImageFiles(dir))).map((f) => f.slice(dir.length + 1))).toEqual([
      'B.JPG',
      'link.png',
      'b/c.png',
    ]);
    await expect(collect(listImageFiles(join(dir, 'absent')))).rejects.toThrow(
      /listImageFiles: cannot read folder .*absent \(ENOENT\)/,
    );
  });
});
