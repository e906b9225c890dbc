// Node: corpus files are read from the file system.
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The bytes of a file in chunks of 1 MiB.
 * @throws naming the file when it cannot be read.
 */
export async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      yield chunk;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new Error(`${path}: cannot read the corpus file (${code === 'EISDIR' ? 'it is a directory' : code})`);
  }
}

/** The whole text of a UTF-8 file. @throws the file system's error. */
export function readTextFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** What a path names: a file, a folder, or nothing readable (with the file system's code). */
export type PathKind = { kind: 'file' | 'directory' } | { kind: 'missing'; code: string };

/**
 * The files of a corpus: the path itself, or the files of a folder (recursively, sorted) whose
 * names end in one of `extensions` (case-insensitively).
 * @throws naming the path when it does not exist or the folder has no such file.
 */
export async function corpusFiles(path: string, extensions: readonly string[]): Promise<string[]> {
  const what = await pathKind(path);
  if (what.kind === 'missing') throw new Error(`${path}: no such corpus file or folder (${what.code})`);
  const files = what.kind === 'directory' ? await listFiles(path, extensions) : [path];
  if (files.length === 0) {
    throw new Error(`${path}: the corpus folder has no file ending in ${extensions.join(', ')}`);
  }
  return files;
}

/** Whether a path is a file or a folder. */
export async function pathKind(path: string): Promise<PathKind> {
  try {
    return { kind: (await stat(path)).isDirectory() ? 'directory' : 'file' };
  } catch (error) {
    return { kind: 'missing', code: String((error as NodeJS.ErrnoException).code) };
  }
}

/** The entries of a folder, sorted by name; `caller` names the function for the browser's error. */
export async function listFolder(
  path: string,
  _caller: string,
): Promise<Array<{ name: string; path: string; directory: boolean }>> {
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .map((entry) => ({ name: entry.name, path: join(path, entry.name), directory: entry.isDirectory() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function listFiles(dir: string, extensions: readonly string[]): Promise<string[]> {
  const endings = extensions.map((ending) => ending.toLowerCase());
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path, endings)));
    else if (entry.isFile() && endings.some((ending) => entry.name.toLowerCase().endsWith(ending))) files.push(path);
  }
  return files;
}
