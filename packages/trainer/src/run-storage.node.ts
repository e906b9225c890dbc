import { appendFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** What is at `path`: a file, a directory, or nothing. */
export async function pathKind(path: string): Promise<'file' | 'directory' | undefined> {
  if (!existsSync(path)) return undefined;
  return statSync(path).isDirectory() ? 'directory' : 'file';
}

/** The names in directory `dir`. */
export async function listDirectory(dir: string): Promise<string[]> {
  return readdirSync(dir);
}

/** Makes directory `dir` and its parents. */
export async function makeDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

/** The text of the file at `path`. @throws when it cannot be read. */
export async function readTextFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/**
 * Writes `text` to `path` atomically (a temp file renamed into place): a crash leaves the old file
 * or the new one, whole. Makes the parent directory.
 */
export async function writeTextFileAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const staging = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(staging, text);
    await rename(staging, path);
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
}

/** Makes the directory a file appended to with {@link appendTextFile} will sit in. */
export function prepareAppend(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
}

/** Appends `text` to the file at `path` now (synchronously: callbacks are synchronous). */
export function appendTextFile(path: string, text: string): void {
  appendFileSync(path, text);
}

/** Waits for appends still being written (none in Node: they are synchronous). */
export async function settleAppends(): Promise<void> {}

/** The bytes stored at `path`: a file's size, or every file's under a directory (0 when nothing is there). */
export async function storedBytes(path: string): Promise<number> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.size;
  let total = 0;
  for (const name of await readdir(path)) total += await storedBytes(join(path, name));
  return total;
}

/** Removes the file or directory at `path` with everything under it (nothing there is fine). */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
