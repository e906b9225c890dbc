import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { defaultOptions } from '@selfsup/pretext/option-schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Augmentation, ViewMaker } from './augmentation.js';
import { byolPreset } from './byol-preset.js';
import { centerCrop } from './center-crop.js';
import { colorJitter } from './color-jitter.js';
import {
  type AugmentationContext,
  type AugmentationDeclaration,
  augmentationDeclarations,
  BYOL_PRESET_DEFAULTS,
  COLOR_JITTER_DEFAULTS,
  DINO_PRESET_DEFAULTS,
  FLIP_DEFAULTS,
  GAUSSIAN_BLUR_DEFAULTS,
  GAUSSIAN_NOISE_DEFAULTS,
  MOCO_V2_PRESET_DEFAULTS,
  RANDOM_AUTO_CONTRAST_DEFAULTS,
  RANDOM_EQUALIZE_DEFAULTS,
  RANDOM_ERASING_DEFAULTS,
  RANDOM_GRAYSCALE_DEFAULTS,
  RANDOM_POSTERIZE_DEFAULTS,
  RANDOM_RESIZED_CROP_DEFAULTS,
  RANDOM_ROTATION_DEFAULTS,
  RANDOM_SOLARIZE_DEFAULTS,
  RANDOM_TRANSLATION_DEFAULTS,
  SIMCLR_PRESET_DEFAULTS,
} from './declarations.js';
import { dinoPreset } from './dino-preset.js';
import { fashionMnistSimclrPreset } from './fashion-mnist-simclr-preset.js';
import { blurKernelSize, gaussianBlur } from './gaussian-blur.js';
import { gaussianNoise } from './gaussian-noise.js';
import { horizontalFlip } from './horizontal-flip.js';
import { mocoV2Preset } from './moco-v2-preset.js';
import { randomAutoContrast } from './random-auto-contrast.js';
import { randomEqualize } from './random-equalize.js';
import { randomErasing } from './random-erasing.js';
import { randomGrayscale } from './random-grayscale.js';
import { randomPosterize } from './random-posterize.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { randomRotation } from './random-rotation.js';
import { randomSolarize } from './random-solarize.js';
import { randomTranslation } from './random-translation.js';
import { resize } from './resize.js';
import { simclrPreset } from './simclr-preset.js';
import { randomBatch } from './test-helpers.js';
import { verticalFlip } from './vertical-flip.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

type Id = keyof typeof augmentationDeclarations;
const context: AugmentationContext = { size: [24, 24], channels: 3 };
const size = context.size;

/** The options that have no default, as a config must give them. */
const required: Partial<Record<Id, Record<string, unknown>>> = {
  'random-posterize': { bits: 4 },
  'random-rotation': { degrees: 30 },
  'random-translation': { fraction: [0.2, 0.2] },
  'gaussian-noise': { std: 0.1 },
  dino: { globalSize: [24, 24], localSize: [12, 12], localCrops: 2 },
};

/** Each augmentation made by its factory with only what has no default (and what a run fills in: the size). */
const bare: Record<Id, () => Augmentation | ViewMaker> = {
  'random-resized-crop': () => randomResizedCrop({ size }),
  resize: () => resize(size),
  'center-crop': () => centerCrop(size),
  'horizontal-flip': () => horizontalFlip(),
  'vertical-flip': () => verticalFlip(),
  'color-jitter': () => colorJitter({}),
  'random-grayscale': () => randomGrayscale(),
  'gaussian-blur': () => gaussianBlur({ kernelSize: blurKernelSize(size) }),
  'random-solarize': () => randomSolarize(),
  'random-posterize': () => randomPosterize({ bits: 4 }),
  'random-auto-contrast': () => randomAutoContrast(),
  'random-equalize': () => randomEqualize(),
  'random-rotation': () => randomRotation({ degrees: 30 }),
  'random-translation': () => randomTranslation({ fraction: [0.2, 0.2] }),
  'gaussian-noise': () => gaussianNoise({ std: 0.1 }),
  'random-erasing': () => randomErasing(),
  simclr: () => simclrPreset({ size }),
  'moco-v2': () => mocoV2Preset({ size }),
  'fashion-mnist-simclr': () => fashionMnistSimclrPreset({ size }),
  byol: () => byolPreset({ size }),
  dino: () => dinoPreset({ globalSize: [24, 24], localSize: [12, 12], localCrops: 2 }),
};

/** The defaults each declaration states, as the constant its factory reads. */
const defaults: Partial<Record<Id, object>> = {
  'random-resized-crop': RANDOM_RESIZED_CROP_DEFAULTS,
  'horizontal-flip': FLIP_DEFAULTS,
  'vertical-flip': FLIP_DEFAULTS,
  'color-jitter': COLOR_JITTER_DEFAULTS,
  'random-grayscale': RANDOM_GRAYSCALE_DEFAULTS,
  'gaussian-blur': GAUSSIAN_BLUR_DEFAULTS,
  'random-solarize': RANDOM_SOLARIZE_DEFAULTS,
  'random-posterize': RANDOM_POSTERIZE_DEFAULTS,
  'random-auto-contrast': RANDOM_AUTO_CONTRAST_DEFAULTS,
  'random-equalize': RANDOM_EQUALIZE_DEFAULTS,
  'random-rotation': RANDOM_ROTATION_DEFAULTS,
  'random-translation': RANDOM_TRANSLATION_DEFAULTS,
  'gaussian-noise': GAUSSIAN_NOISE_DEFAULTS,
  'random-erasing': RANDOM_ERASING_DEFAULTS,
  simclr: SIMCLR_PRESET_DEFAULTS,
  'moco-v2': MOCO_V2_PRESET_DEFAULTS,
  byol: BYOL_PRESET_DEFAULTS,
  dino: { ...DINO_PRESET_DEFAULTS, ...required.dino },
};

const declarations = Object.entries(augmentationDeclarations) as Array<[Id, AugmentationDeclaration]>;

/** A declaration's options as a run resolves them: what is required, the defaults, the data's size when sized. */
const resolved = (id: Id, declaration: AugmentationDeclaration) =>
  defaultOptions(declaration.options!, { ...required[id], ...(declaration.sized ? { size } : {}) });

describe('augmentationDeclarations', () => {
  it('are keyed by their ids, each with a description and an options schema', () => {
    expect(declarations).toHaveLength(21);
    for (const [id, declaration] of declarations) {
      expect(declaration.id).toBe(id);
      expect(declaration.description.length).toBeGreaterThan(10);
      // A Standard Schema (zod's) that validates the options and fills in their defaults.
      expect(declaration.options?.['~standard'].vendor).toBe('zod');
    }
  });

  it.each(declarations)('%s: states the defaults its factory reads', (id, declaration) => {
    expect(resolved(id, declaration)).toMatchObject(defaults[id] ?? {});
  });

  it.each(declarations)(
    '%s: made with its declared defaults, is the factory given no options',
    async (id, declaration) => {
      const images = randomBatch(3, 24, 24, 3, 7);
      const made = await declaration.create(resolved(id, declaration), context);
      const outputs = (maker: Augmentation | ViewMaker) => {
        const out = maker(images, createRng(11));
        return (Array.isArray(out) ? out : [out]) as Tensor4D[];
      };
      const fromDeclaration = outputs(made);
      const fromFactory = outputs(bare[id]());
      expect(fromDeclaration).toHaveLength(
        declaration.produces === 'views' ? (declaration.viewCount?.(resolved(id, declaration)) ?? 0) : 1,
      );
      expect(fromDeclaration.map((view) => Array.from(view.dataSync()))).toEqual(
        fromFactory.map((view) => Array.from(view.dataSync())),
      );
      tf.dispose([images, ...fromDeclaration, ...fromFactory]);
    },
  );

  it('reject unknown options and missing required ones', () => {
    const flip = augmentationDeclarations['horizontal-flip'].options!['~standard'].validate({ q: 0.5 });
    expect(flip).toMatchObject({ issues: [{ message: "unknown field 'q' (did you mean 'p'?); allowed: p" }] });
    expect(() => defaultOptions(augmentationDeclarations['gaussian-noise'].options!)).toThrow(/no defaults/);
  });
});
