import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listImageFiles, readImages } from '@selfsup/augment';
import { createRng, type Tensor4D, tf } from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';

/** MATE's nature wallpapers: all photographs (`apt-get install -y mate-backgrounds`). */
export const MATE_PHOTO_DIR = '/usr/share/backgrounds/mate/nature';

/**
 * The Plasma wallpapers that are photographs (`apt-get install -y plasma-workspace-wallpapers`);
 * the others are drawings and renders.
 */
export const PLASMA_PHOTOGRAPHS = [
  'BytheWater',
  'ColdRipple',
  'ColorfulCups',
  'DarkestHour',
  'EveningGlow',
  'FallenLeaf',
  'Grey',
  'Kite',
  'OneStandsOut',
  'Path',
  'summer_1am',
] as const;

/**
 * The Lomiri (Ubuntu Touch) wallpapers that are photographs, in `/usr/share/backgrounds`
 * (`apt-get install -y lomiri-wallpapers-16.04 lomiri-wallpapers-20.04`; CC-BY / CC-BY-SA); the
 * others are drawings and renders.
 */
export const LOMIRI_PHOTOGRAPHS = [
  'Bridge_by_Sander_Klootwijk',
  'Dragonfly_by_Bolly',
  'Kleiber_by_Lukas_Baubkus',
  'Picture_0B_by_freespace',
  'Picture_1A_by_freespace',
  'Wine_by_Jakkub_Mede',
  'aitzgorri_by_Aitzol_Berasategi',
  'free_by_Peter_Nerlich',
  'friends_by_Aitzol_Berasategi',
  'life_by_Aitzol_Berasategi',
  'picosdeeuropa_by_Aitzol_Berasategi',
  'seeding_by_Clements_Engelhardt',
  'sunset_by_Aitzol_Berasategi',
] as const;

const LOMIRI_DIR = '/usr/share/backgrounds';

const INSTALL_HINT =
  'apt-get install -y mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04';

function plasmaPhotograph(name: string): string | undefined {
  const dir = join('/usr/share/wallpapers', name, 'contents', 'images');
  for (const size of ['1920x1080', '2560x1600']) {
    const path = join(dir, `${size}.jpg`);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * The photo files to train colour tasks on: the given files and folders (listed recursively), or
 * by default the photographs of Debian's wallpaper packages that are installed (MATE, Plasma,
 * Lomiri: up to 36).
 * @throws naming the paths and how to install the defaults when no photo is found.
 */
export async function resolvePhotoFiles(paths: string[] | undefined): Promise<string[]> {
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
    if (files.length < 4) {
      throw new Error(
        `found ${files.length} photograph(s) in ${MATE_PHOTO_DIR}, /usr/share/wallpapers and ${LOMIRI_DIR}; colour tasks need at least 4: install them with \`${INSTALL_HINT}\` or pass --photos`,
      );
    }
    return files.sort();
  }
  for (const path of paths) {
    if (!existsSync(path)) throw new Error(`--photos: ${path} does not exist`);
    if (statSync(path).isDirectory()) for await (const file of listImageFiles(path)) files.push(file);
    else files.push(path);
  }
  if (files.length < 4)
    throw new Error(`--photos: found ${files.length} image(s) in ${paths.join(', ')}; need at least 4`);
  return files.sort();
}

/**
 * The size photos are decoded at for patches of `patchSize`: 240×320 for 28-px patches, scaled
 * with the patch size — so a patch covers the same share of a photo at every patch size, in more
 * detail (64-px patches: 549×731 of a 1080p photo).
 */
export function photoDecodeSize(patchSize: number): [number, number] {
  const scale = patchSize / 28;
  return [Math.round(240 * scale), Math.round(320 * scale)];
}

/** Decodes photos with sharp (resized to cover `size`, centre-cropped): [P, H, W, 3] in [0, 1]. */
export function loadPhotos(files: string[], size: [number, number] = [240, 320]): Promise<Tensor4D> {
  return readImages(files, { size, channels: 3 });
}

/** Random square crops of photos, resized to `patchSize` (cropAndResize, bilinear), horizontally flipped half the time. */
function randomPatches(photos: Tensor4D, count: number, patchSize: number, seed: string): Tensor4D {
  const [photoCount, height, width] = photos.shape;
  const rng = createRng(seed);
  const boxes: number[][] = [];
  const indices: number[] = [];
  const flips: number[] = [];
  const maxSide = Math.min(height, width);
  for (let i = 0; i < count; i++) {
    // Crops from 1.5× to 6× the patch size (capped by the photo): objects at several scales.
    const side = Math.min(maxSide, Math.round(patchSize * rng.uniform(1.5, 6)));
    const top = rng.int(height - side + 1);
    const left = rng.int(width - side + 1);
    flips.push(rng.bernoulli(0.5) ? 1 : 0);
    boxes.push([
      top / (height - 1),
      left / (width - 1),
      (top + side - 1) / (height - 1),
      (left + side - 1) / (width - 1),
    ]);
    indices.push(rng.int(photoCount));
  }
  return tf.tidy(() => {
    const crops = tf.clipByValue(
      tf.image.cropAndResize(photos, tf.tensor2d(boxes), tf.tensor1d(indices, 'int32'), [patchSize, patchSize]),
      0,
      1,
    );
    const flip = tf.reshape(tf.tensor1d(flips), [count, 1, 1, 1]);
    return tf.add(tf.mul(tf.reverse(crops, 2), flip), tf.mul(crops, tf.sub(1, flip)));
  }) as Tensor4D;
}

/**
 * Batches of random photo patches [batchSize, patchSize, patchSize, 3], `batchesPerEpoch` per
 * epoch, a function of (seed, epoch, step) — so a resumed run sees the same patches.
 */
export function photoPatchDataset(
  photos: Tensor4D,
  options: { batchSize: number; batchesPerEpoch: number; patchSize: number; seed: number },
): Dataset<Tensor4D> {
  return {
    size: options.batchesPerEpoch,
    async *iterate(epoch) {
      for (let step = 0; step < options.batchesPerEpoch; step++) {
        yield randomPatches(
          photos,
          options.batchSize,
          options.patchSize,
          `${options.seed}/epoch-${epoch}/step-${step}`,
        );
      }
    },
  };
}

/** A fixed sample of `count` patches (for held-out evaluation and the ab prior). */
export function photoPatchSample(photos: Tensor4D, count: number, patchSize: number, seed: number): Tensor4D {
  return randomPatches(photos, count, patchSize, `${seed}/sample`);
}
