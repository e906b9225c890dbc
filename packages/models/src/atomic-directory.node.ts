import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `files` into directory `dir` so that readers see either the old directory or the whole
 * new one, never a half-written mix: the files go to a fresh sibling directory, then two renames
 * swap it in (the old one is removed last). A crash leaves `dir` intact or replaced, plus at most a
 * stale `.tmp-*`/`.old-*` sibling.
 */
export async function writeDirectoryAtomically(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const staging = join(parent, `.${basename(dir)}.tmp-${stamp}`);
  const retired = join(parent, `.${basename(dir)}.old-${stamp}`);
  await mkdir(staging);
  try {
    for (const [name, contents] of Object.entries(files)) await writeFile(join(staging, name), contents);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  let hadOld = false;
  try {
    await rename(dir, retired);
    hadOld = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rename(staging, dir);
  if (hadOld) await rm(retired, { recursive: true, force: true });
}
