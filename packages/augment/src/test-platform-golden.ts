// Golden numbers both platforms are pinned to (not built into dist: `src/**/test-*.ts` is
// excluded). The Node test (`platform-golden.test.ts`) decodes with sharp and checks them — and
// writes them with SELFSUP_UPDATE_GOLDEN=1; the browser test decodes with the browser and checks the
// same file. No node: imports here: the browser test loads this module too.
import { createRng, type Tensor4D, tf } from '@selfsup/backend';
import type { ViewMaker } from './augmentation.js';
import { byolPreset } from './byol-preset.js';
import { mocoV2Preset } from './moco-v2-preset.js';
import { simclrPreset } from './simclr-preset.js';
import { twoViews } from './two-views.js';

/** The committed images whose decoded pixels are pinned, under `test-data/`. */
export const GOLDEN_DECODED_FILES = [
  'images/gradient.png',
  'images/gradient.jpg',
  'images/gradient.webp',
  'images/nested/alpha.png',
  'special/rotated.jpg',
] as const;

/** The lossless images stacked into the batch the presets augment (`[2, 16, 24, 3]`). */
export const GOLDEN_BATCH_FILES = ['images/gradient.png', 'images/gradient.webp'] as const;

/** The presets pinned, each as a view maker, with the seed they run with. */
export const GOLDEN_PRESETS: Record<string, { make: () => ViewMaker; seed: number }> = {
  simclr: { make: () => twoViews(simclrPreset({ size: [16, 16] })), seed: 7 },
  'simclr-blur': { make: () => twoViews(simclrPreset({ size: [16, 16], blur: true })), seed: 8 },
  'moco-v2': { make: () => twoViews(mocoV2Preset({ size: [16, 16] })), seed: 9 },
  byol: { make: () => byolPreset({ size: [16, 16] }), seed: 10 },
};

/** Flat indices of the view values recorded beside each view's mean. */
const SAMPLE_INDICES = [0, 1, 47, 100, 255, 383, 512, 700, 767, 1000, 1280, 1535];

/** One view of a preset, summarised: its shape, mean and a few values. */
export interface GoldenView {
  shape: number[];
  mean: number;
  samples: number[];
}

/** The golden file: decoded pixels per file (uint8, row-major RGB) and the presets' views. */
export interface PlatformGolden {
  decoded: Record<string, { height: number; width: number; data: number[] }>;
  views: Record<string, GoldenView[]>;
}

/** Runs every golden preset on `batch` with its seed; tensors are all disposed. */
export function goldenViews(batch: Tensor4D): Record<string, GoldenView[]> {
  const out: Record<string, GoldenView[]> = {};
  for (const [name, { make, seed }] of Object.entries(GOLDEN_PRESETS)) {
    out[name] = tf.tidy(() =>
      make()(batch, createRng(seed)).map((view) => {
        const flat = view.dataSync();
        return {
          shape: [...view.shape],
          mean: Number(tf.mean(view).dataSync()[0]),
          samples: SAMPLE_INDICES.map((i) => Number(flat[i % flat.length])),
        };
      }),
    );
  }
  return out;
}

/** The largest |a − b| between two golden view sets (Infinity when their shapes differ). */
export function goldenViewsDistance(a: Record<string, GoldenView[]>, b: Record<string, GoldenView[]>): number {
  let worst = 0;
  for (const name of Object.keys(GOLDEN_PRESETS)) {
    const [x, y] = [a[name] ?? [], b[name] ?? []];
    if (x.length !== y.length) return Number.POSITIVE_INFINITY;
    x.forEach((view, v) => {
      const other = y[v] as GoldenView;
      if (view.shape.join() !== other.shape.join()) worst = Number.POSITIVE_INFINITY;
      worst = Math.max(worst, Math.abs(view.mean - other.mean));
      view.samples.forEach((s, i) => {
        worst = Math.max(worst, Math.abs(s - (other.samples[i] as number)));
      });
    });
  }
  return worst;
}

/** The largest |a − b| between two pixel arrays of one length (Infinity when lengths differ). */
export function maxPixelDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}
