import { basename, dirname, join } from 'node:path';

/** Joins path segments (Node's `path.join`). */
export function joinPath(...segments: string[]): string {
  return join(...segments);
}

/** The path's parent (Node's `path.dirname`). */
export function parentPath(path: string): string {
  return dirname(path);
}

/** The path's last segment (Node's `path.basename`). */
export function baseName(path: string): string {
  return basename(path);
}

/** Where `saveModule`/`loadEncoder` keep the module of a run file path: in Node the directory itself. */
export function moduleLocation(path: string): string {
  return path;
}
