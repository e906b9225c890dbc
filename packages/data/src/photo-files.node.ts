import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listImageFiles } from '@selfsup/augment/image-files';
import {
  DEBIAN_PHOTOGRAPHS_INSTALL,
  LOMIRI_DIR,
  LOMIRI_PHOTOGRAPHS,
  MATE_PHOTO_DIR,
  PLASMA_PHOTOGRAPHS,
} from './debian-photographs.js';

function plasmaPhotograph(name: string): string | undefined {
  const dir = join('/usr/share/wallpapers', name, 'contents', 'images');
  return ['1920x1080', '2560x1600'].map((size) => join(dir, `${size}.jpg`)).find((path) => existsSync(path));
}

/**
 * Photograph files, sorted: the given files and folders (listed recursively), or by default the
 * photographs of Debian's wallpaper packages that are installed (MATE, Plasma, Lomiri: up to 36;
 * {@link DEBIAN_PHOTOGRAPHS_INSTALL}).
 *
 * @example const files = await photoFiles(); // the installed wallpaper photographs
 * @throws naming the path that does not exist, or — when fewer than `minimum` (default 4) are
 *   found — the paths searched and, for the defaults, how to install them.
 */
export async function photoFiles(paths?: readonly string[], options: { minimum?: number } = {}): Promise<string[]> {
  const minimum = options.minimum ?? 4;
  const files: string[] = [];
  if (paths === undefined) {
    if (existsSync(MATE_PHOTO_DIR)) for await (const file of listImageFiles(MATE_PHOTO_DIR)) files.push(file);
    for (const name of PLASMA_PHOTOGRAPHS) {
      const file = plasmaPhotograph(name);
      if (file !== undefined) files.push(file);
    }
    for (const name of LOMIRI_PHOTOGRAPHS) {
      const file = join(LOMIRI_DIR, `${name}.jpg`);
      if (existsSync(file)) files.push(file);
    }
    if (files.length < minimum) {
      throw new Error(
        `found ${files.length} photograph(s) in ${MATE_PHOTO_DIR}, /usr/share/wallpapers and ${LOMIRI_DIR}; need at least ${minimum}: install them with \`${DEBIAN_PHOTOGRAPHS_INSTALL}\` or give photo files or folders`,
      );
    }
    return files.sort();
  }
  for (const path of paths) {
    if (!existsSync(path)) throw new Error(`photos: ${path} does not exist`);
    if (statSync(path).isDirectory()) for await (const file of listImageFiles(path)) files.push(file);
    else files.push(path);
  }
  if (files.length < minimum) {
    throw new Error(`photos: found ${files.length} image(s) in ${paths.join(', ')}; need at least ${minimum}`);
  }
  return files.sort();
}
