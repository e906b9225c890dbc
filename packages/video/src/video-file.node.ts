// Node: ffmpeg reads files, so a Blob or File is written to a temporary file first.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { VideoError } from './video-error.js';

/** Runs `use` on a temporary file holding the Blob's bytes (named like the File, for its extension), then removes it. */
export async function withVideoFile<T>(blob: Blob, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'selfsup-video-'));
  try {
    const name = (blob as File).name ?? '';
    const file = join(dir, `video${extname(name) || guessExtension(blob.type)}`);
    await writeFile(file, new Uint8Array(await blob.arrayBuffer()));
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function guessExtension(type: string): string {
  if (type.includes('webm')) return '.webm';
  if (type.includes('matroska')) return '.mkv';
  if (type.includes('quicktime')) return '.mov';
  return '.mp4';
}

/** Checks that a path is a non-empty file (FIFOs and devices pass: ffmpeg reads them as streams). */
export async function checkVideoPath(file: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new VideoError(
      file,
      'not-found',
      code === 'ENOENT' ? 'no such file' : `cannot be read (${(error as Error).message})`,
    );
  }
  if (info.isDirectory()) throw new VideoError(file, 'not-a-file', 'is a directory, not a video file');
  if (info.isFile() && info.size === 0) throw new VideoError(file, 'empty', 'the file is empty (0 bytes)');
  return info.size;
}
