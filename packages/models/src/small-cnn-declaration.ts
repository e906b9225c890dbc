import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { imageInput, type ModelDeclaration } from './model-declaration.js';
import type { SmallCnnOptions } from './small-cnn.js';

/** The defaults of `createSmallCnn`: 4 blocks of 32-64-128-128 channels, strides 1-2-2-2, He-normal conv weights. */
export const SMALL_CNN_DEFAULTS: Required<Pick<SmallCnnOptions, 'widths' | 'strides' | 'weightInit'>> = {
  widths: [32, 64, 128, 128],
  strides: [1, 2, 2, 2],
  weightInit: 'he-normal',
};

const options = section({
  widths: z.array(positiveInteger()).min(1).default(SMALL_CNN_DEFAULTS.widths).describe('channels of each block'),
  strides: z.array(positiveInteger()).min(1).default(SMALL_CNN_DEFAULTS.strides).describe('stride of each block'),
  weightInit: z
    .enum(['he-normal', 'fan-in-uniform'])
    .default(SMALL_CNN_DEFAULTS.weightInit)
    .describe('`fan-in-uniform` is PyTorch’s default (U(±1/√fan_in)); it trains the reference SimCLR recipe best'),
}).refine((o) => o.widths.length === o.strides.length, {
  message: 'widths and strides must have the same length',
});

/** `small-cnn`: `createSmallCnn` by id, sized by the data. */
export const smallCnnDeclaration: ModelDeclaration = {
  id: 'small-cnn',
  description: '4 × conv3×3-BN-ReLU (32-64-128-128), global average pool: 128 features, 240k parameters',
  options,
  create: async (o: z.output<typeof options>, context) =>
    (await import('./small-cnn.js')).createSmallCnn({ ...imageInput(context), ...o }),
};
