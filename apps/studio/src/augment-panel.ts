import { augmentationPreview } from '@selfsup/augment';
import { imageBatch } from '@selfsup/data';
import { makeAugmentation, twoViewAugmentationIds } from './augmentation-choice.js';
import { byId, setOptions } from './dom.js';
import type { StudioData } from './studio-data.js';

/** Up to 8 images to preview: the first of each class when labeled, else the first ones. */
function previewIndices(data: StudioData): number[] {
  const { train } = data;
  if (data.classes === undefined) return Array.from({ length: Math.min(8, train.count) }, (_, i) => i);
  const firsts = new Map<number, number>();
  for (let i = 0; i < train.count && firsts.size < 8; i++) {
    if (!firsts.has(train.labels[i] as number)) firsts.set(train.labels[i] as number, i);
  }
  return [...firsts.values()];
}

/** Section 2: the grid of a preset's views, re-rolled with a seed. */
export function setUpAugmentPanel(): {
  /** Shows the data's images through the preset picked, `defaultPreset` first. */
  show(data: StudioData, defaultPreset: string): Promise<void>;
  /** The augmentation picked, which pretraining uses. */
  preset(): string;
} {
  const select = byId<HTMLSelectElement>('preset');
  const seed = byId<HTMLInputElement>('augment-seed');
  const grid = byId<HTMLImageElement>('augment-grid');
  let current: StudioData | undefined;
  let drawing = Promise.resolve();
  const draw = () => {
    const data = current;
    if (data === undefined) return drawing;
    drawing = drawing.then(async () => {
      const { train } = data;
      const made = await makeAugmentation(select.value, [train.height, train.width], (train.channels ?? 1) as 1 | 3);
      const { images, labels } = imageBatch(train, previewIndices(data));
      try {
        const { png } = await augmentationPreview(images, made.made, { views: 6, seed: Number(seed.value) || 0 });
        URL.revokeObjectURL(grid.src);
        grid.src = URL.createObjectURL(png);
        grid.dataset.preset = select.value;
        grid.dataset.seed = seed.value;
      } finally {
        images.dispose();
        labels.dispose();
      }
    });
    return drawing.catch((error) => {
      grid.alt = `preview failed: ${(error as Error).message}`;
      console.error(error);
    });
  };
  select.addEventListener('change', draw);
  seed.addEventListener('change', draw);
  byId('reroll').addEventListener('click', () => {
    seed.value = String((Number(seed.value) || 0) + 1);
    void draw();
  });
  return {
    show(data, defaultPreset) {
      current = data;
      // A multi-crop method's default (more than two views) joins the two-view choices.
      setOptions(select, [...new Set([...twoViewAugmentationIds(), defaultPreset])], defaultPreset);
      return draw();
    },
    preset: () => select.value,
  };
}
