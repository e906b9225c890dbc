/**
 * Paths of a page's runs: keys in IndexedDB written like POSIX paths (`runs/simclr/config.json`),
 * so a run's files, checkpoints and modules keep the names they have on disk.
 */

/** Joins path segments with `/`, dropping empty and `.` segments and resolving `..`. */
export function joinPath(...segments: string[]): string {
  const absolute = segments[0]?.startsWith('/') === true;
  const parts: string[] = [];
  for (const part of segments.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

/** The path's parent (`.` for a bare name). */
export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : trimmed.slice(0, slash);
}

/** The path's last segment. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Where `saveModule`/`loadEncoder` keep the module of a run file path: tfjs's IndexedDB store. */
export function moduleLocation(path: string): string {
  return `indexeddb://${path}`;
}
