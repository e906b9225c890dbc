import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { listImageFiles } from '@selfsup/augment/image-files';
import { isIdxDirectory } from '#idx-files';
import {
  checkClassCount,
  decodedSet,
  fromIdx,
  type LabeledImageSet,
  type LabeledSource,
  type ReadLabeledImagesOptions,
} from './labeled-image-set.js';

async function fromClassFolders(dir: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  const entries = await readdir(dir, { withFileTypes: true });
  const classes = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  checkClassCount(dir, classes.length, 'expected one sub-folder per class (at least 2)');
  const files: LabeledSource[] = [];
  for (const [label, name] of classes.entries()) {
    for await (const path of listImageFiles(join(dir, name))) files.push({ source: path, name: path, label });
  }
  return decodedSet(files, classes, options);
}

async function fromCsv(file: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines[0]?.toLowerCase().replace(/\s/g, '') === 'path,label') lines.shift();
  const rows = lines.map((line, index) => {
    const comma = line.lastIndexOf(',');
    if (comma <= 0) throw new Error(`${file}:${index + 1}: expected 'path,label', got '${line}'`);
    return { path: resolve(dirname(file), line.slice(0, comma).trim()), name: line.slice(comma + 1).trim() };
  });
  const classes = [...new Set(rows.map((r) => r.name))].sort();
  checkClassCount(file, classes.length, 'needs at least 2 classes');
  const files = rows.map((r) => ({ source: r.path, name: r.path, label: classes.indexOf(r.name) }));
  return decodedSet(files, classes, options);
}

/** Reads a labeled folder, CSV or IDX directory at a path (see `readLabeledImages`). */
export async function readLabeledPath(path: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`${path}: does not exist`);
  }
  if (info.isDirectory()) return isIdxDirectory(path) ? fromIdx(path, options) : fromClassFolders(path, options);
  if (extname(path).toLowerCase() === '.csv') return fromCsv(path, options);
  throw new Error(`${path}: expected a folder (one sub-folder per class), a .csv file or an IDX directory`);
}

/** The image files under a folder path, walked recursively in `listImageFiles`' order (see `readUnlabeledImages`). */
export async function readUnlabeledPath(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`${path}: does not exist`);
  }
  if (!info.isDirectory()) throw new Error(`${path}: expected a folder of images`);
  const files: string[] = [];
  for await (const file of listImageFiles(path)) files.push(file);
  return files;
}
