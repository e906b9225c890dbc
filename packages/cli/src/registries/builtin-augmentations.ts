import { z } from 'zod';
import { imageSize, numberRange, positiveInteger, probability, section } from '../config/schema-parts.js';
import type { AugmentationEntry } from './entries.js';

type Options = Record<string, unknown>;
const size = () => imageSize().optional().describe('output [height, width]; default: the data’s size');
const p = (value: number) => probability().default(value).describe('probability per image');
const cropScale = (range: [number, number]) =>
  numberRange(0, 1).default(range).describe('area range of the random resized crop, as fractions of the image');
const sizeOf = (options: Options) => options.size as [number, number];

/** `@selfsup/augment`, imported when an augmentation is made: listing and validating load neither sharp nor tfjs. */
const augment = () => import('@selfsup/augment');

/** The augmentation ops and presets of `@selfsup/augment`, by id. */
export const builtinAugmentations: Record<string, AugmentationEntry> = {
  'random-resized-crop': {
    description: 'crop a random area and aspect ratio, resize (torchvision RandomResizedCrop), optional flip',
    produces: 'augmentation',
    sized: true,
    options: section({
      size: size(),
      scale: numberRange(0, 1).default([0.08, 1]).describe('area range, as fractions of the image'),
      ratio: numberRange(0.01, 100)
        .default([3 / 4, 4 / 3])
        .describe('aspect-ratio range'),
      flipProbability: p(0).describe('horizontal flip probability, folded into the crop'),
    }),
    create: async (o) => {
      const { randomResizedCrop } = await augment();
      return randomResizedCrop({
        size: sizeOf(o),
        scale: o.scale as [number, number],
        ratio: o.ratio as [number, number],
        flipProbability: o.flipProbability as number,
      });
    },
  },
  resize: {
    description: 'resize to a fixed size (bilinear)',
    produces: 'augmentation',
    sized: true,
    options: section({ size: size() }),
    create: async (o) => {
      const { resize } = await augment();
      return resize(sizeOf(o));
    },
  },
  'center-crop': {
    description: 'crop the center to a fixed size',
    produces: 'augmentation',
    sized: true,
    options: section({ size: size() }),
    create: async (o) => {
      const { centerCrop } = await augment();
      return centerCrop(sizeOf(o));
    },
  },
  'horizontal-flip': {
    description: 'mirror left-right',
    produces: 'augmentation',
    options: section({ p: p(0.5) }),
    create: async (o) => {
      const { horizontalFlip } = await augment();
      return horizontalFlip({ p: o.p as number });
    },
  },
  'vertical-flip': {
    description: 'mirror top-bottom',
    produces: 'augmentation',
    options: section({ p: p(0.5) }),
    create: async (o) => {
      const { verticalFlip } = await augment();
      return verticalFlip({ p: o.p as number });
    },
  },
  'color-jitter': {
    description: 'random brightness, contrast, saturation, hue (torchvision ColorJitter, random order)',
    produces: 'augmentation',
    options: section({
      brightness: z.number().min(0).default(0).describe('brightness factor drawn from [max(0, 1 − b), 1 + b]; 0: off'),
      contrast: z.number().min(0).default(0).describe('contrast factor drawn from [max(0, 1 − c), 1 + c]; 0: off'),
      saturation: z
        .number()
        .min(0)
        .default(0)
        .describe('saturation factor drawn from [max(0, 1 − s), 1 + s]; 0: off (RGB only)'),
      hue: z
        .number()
        .min(0)
        .max(0.5)
        .default(0)
        .describe('hue shift drawn from [−h, h], in fractions of a turn; 0: off (RGB only)'),
      p: p(1),
      randomOrder: z.boolean().default(true).describe('apply the four adjustments in a random order per image'),
    }),
    create: async (o) => {
      const { colorJitter } = await augment();
      return colorJitter(o as Parameters<typeof colorJitter>[0]);
    },
  },
  'random-grayscale': {
    description: 'convert to grayscale (3 equal channels)',
    produces: 'augmentation',
    options: section({ p: p(0.1) }),
    create: async (o) => {
      const { randomGrayscale } = await augment();
      return randomGrayscale({ p: o.p as number });
    },
  },
  'gaussian-blur': {
    description: 'Gaussian blur with a random sigma per image',
    produces: 'augmentation',
    options: section({
      kernelSize: positiveInteger().optional().describe('odd kernel size; default ≈ 10 % of the image side'),
      sigma: numberRange(0.001, 100).default([0.1, 2]).describe('range the blur’s σ (pixels) is drawn from, per image'),
      p: p(0.5),
    }),
    create: async (o, context) => {
      const { gaussianBlur, blurKernelSize } = await augment();
      return gaussianBlur({
        kernelSize: (o.kernelSize as number | undefined) ?? blurKernelSize(context.size),
        sigma: o.sigma as [number, number],
        p: o.p as number,
      });
    },
  },
  'random-solarize': {
    description: 'invert pixels above a threshold',
    produces: 'augmentation',
    options: section({
      p: p(0.5),
      threshold: probability().default(0.5).describe('pixels at or above it are inverted (BYOL: 0.5)'),
    }),
    create: async (o) => {
      const { randomSolarize } = await augment();
      return randomSolarize({ p: o.p as number, threshold: o.threshold as number });
    },
  },
  'random-posterize': {
    description: 'keep the top bits of each 8-bit value',
    produces: 'augmentation',
    options: section({ bits: z.number().int().min(1).max(8).describe('bits kept (1–8)'), p: p(0.5) }),
    create: async (o) => {
      const { randomPosterize } = await augment();
      return randomPosterize({ bits: o.bits as number, p: o.p as number });
    },
  },
  'random-auto-contrast': {
    description: 'stretch each channel to the full range',
    produces: 'augmentation',
    options: section({ p: p(0.5) }),
    create: async (o) => {
      const { randomAutoContrast } = await augment();
      return randomAutoContrast({ p: o.p as number });
    },
  },
  'random-equalize': {
    description: 'histogram equalization',
    produces: 'augmentation',
    options: section({ p: p(0.5) }),
    create: async (o) => {
      const { randomEqualize } = await augment();
      return randomEqualize({ p: o.p as number });
    },
  },
  'random-rotation': {
    description: 'rotate by a random angle about the center',
    produces: 'augmentation',
    options: section({
      degrees: z
        .union([z.number().min(0), numberRange(-360, 360)])
        .describe('maximum angle d (uniform in [−d, d]) or a [min, max] range'),
      interpolation: z.enum(['bilinear', 'nearest']).default('bilinear').describe('how pixels are resampled'),
      fill: probability().default(0).describe('value of pixels rotated in from outside the image'),
    }),
    create: async (o) => {
      const { randomRotation } = await augment();
      return randomRotation(o as unknown as Parameters<typeof randomRotation>[0]);
    },
  },
  'random-translation': {
    description: 'shift by whole pixels',
    produces: 'augmentation',
    options: section({
      fraction: numberRange(0, 1).describe('maximum shift [vertical, horizontal] as fractions of the size'),
      fill: probability().default(0).describe('value of pixels shifted in from outside the image'),
    }),
    create: async (o) => {
      const { randomTranslation } = await augment();
      return randomTranslation(o as unknown as Parameters<typeof randomTranslation>[0]);
    },
  },
  'gaussian-noise': {
    description: 'add N(0, std²) noise, clamped to [0, 1]',
    produces: 'augmentation',
    options: section({ std: z.number().positive().describe('standard deviation of the noise'), p: p(1) }),
    create: async (o) => {
      const { gaussianNoise } = await augment();
      return gaussianNoise({ std: o.std as number, p: o.p as number });
    },
  },
  'random-erasing': {
    description: 'erase a random rectangle (torchvision RandomErasing, cutout)',
    produces: 'augmentation',
    options: section({
      p: p(0.5),
      scale: numberRange(0, 1).default([0.02, 0.33]).describe('area range of the rectangle, as fractions of the image'),
      ratio: numberRange(0.01, 100).default([0.3, 3.3]).describe('aspect-ratio range of the rectangle'),
      value: z
        .union([probability(), z.literal('random')])
        .default(0)
        .describe('fill: a value in [0, 1], or `random` for per-pixel N(0, 1) noise'),
    }),
    create: async (o) => {
      const { randomErasing } = await augment();
      return randomErasing(o as unknown as Parameters<typeof randomErasing>[0]);
    },
  },
  simclr: {
    description: 'SimCLR’s recipe: crop 0.08–1 + flip, color jitter 0.8s p 0.8, grayscale 0.2, blur from 64 px',
    produces: 'augmentation',
    sized: true,
    options: section({
      size: size(),
      strength: z.number().min(0).default(1).describe('color distortion strength s (0.5 for CIFAR)'),
      blur: z.boolean().optional().describe('Gaussian blur p 0.5; default: on from 64 px'),
      scale: cropScale([0.08, 1]),
    }),
    create: async (o) => {
      const { simclrPreset } = await augment();
      return simclrPreset(o as unknown as Parameters<typeof simclrPreset>[0]);
    },
  },
  'moco-v2': {
    description: 'MoCo v2’s recipe: crop 0.2–1, jitter 0.4 p 0.8, grayscale 0.2, blur p 0.5, flip',
    produces: 'augmentation',
    sized: true,
    options: section({
      size: size(),
      scale: cropScale([0.2, 1]),
      blur: z.boolean().default(true).describe('Gaussian blur with probability 0.5'),
    }),
    create: async (o) => {
      const { mocoV2Preset } = await augment();
      return mocoV2Preset(o as unknown as Parameters<typeof mocoV2Preset>[0]);
    },
  },
  'fashion-mnist-simclr': {
    description: 'the Fashion-MNIST recipe of the PyTorch baseline: crop 0.3–1 + flip, brightness/contrast, 3×3 blur',
    produces: 'augmentation',
    sized: true,
    options: section({ size: size() }),
    create: async (o) => {
      const { fashionMnistSimclrPreset } = await augment();
      return fashionMnistSimclrPreset({ size: sizeOf(o) });
    },
  },
  byol: {
    description: 'BYOL’s two asymmetric views (blur 1.0 / 0.1, solarize 0 / 0.2)',
    produces: 'views',
    viewCount: () => 2,
    sized: true,
    options: section({ size: size(), scale: cropScale([0.08, 1]) }),
    create: async (o) => {
      const { byolPreset } = await augment();
      return byolPreset(o as unknown as Parameters<typeof byolPreset>[0]);
    },
  },
  dino: {
    description: 'DINO’s multi-crop: 2 global views and N local ones',
    produces: 'views',
    viewCount: (o) => 2 + (o.localCrops as number),
    options: section({
      globalSize: imageSize().default([224, 224]),
      localSize: imageSize().default([96, 96]),
      localCrops: z.number().int().min(0).default(8).describe('local crops per image (the paper’s best: 10)'),
      globalScale: numberRange(0, 1).default([0.4, 1]).describe('area range of the global crops'),
      localScale: numberRange(0, 1).default([0.05, 0.4]).describe('area range of the local crops'),
    }),
    create: async (o) => {
      const { dinoPreset } = await augment();
      return dinoPreset(o as Parameters<typeof dinoPreset>[0]);
    },
  },
};
