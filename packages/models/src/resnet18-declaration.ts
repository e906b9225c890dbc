import { section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { imageInput, type ModelDeclaration } from './model-declaration.js';
import type { ResNet18Options } from './resnet18.js';

/** The defaults of `createResNet18`: width 1 (64-128-256-512 channels). */
export const RESNET18_DEFAULTS: Required<Pick<ResNet18Options, 'width'>> = { width: 1 };

const options = section({
  width: z.number().positive().default(RESNET18_DEFAULTS.width).describe('channel multiplier'),
});

/** `resnet18`: `createResNet18` by id, sized by the data. */
export const resnet18Declaration: ModelDeclaration = {
  id: 'resnet18',
  description: 'CIFAR ResNet-18 (3×3 stem, no max pool): 512·width features',
  options,
  create: async (o: z.output<typeof options>, context) =>
    (await import('./resnet18.js')).createResNet18({ ...imageInput(context), ...o }),
};
