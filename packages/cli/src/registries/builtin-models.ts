import { createResNet18, createSmallCnn, createVitTiny } from '@selfsup/models';
import { z } from 'zod';
import { positiveInteger, section } from '../config/schema-parts.js';
import type { ModelContext, ModelEntry } from './entries.js';

const common = (context: ModelContext) => ({
  inputShape: context.inputShape,
  seed: context.seed,
  ...(context.normalization === undefined ? {} : { normalization: context.normalization }),
});

/** The encoders of `@selfsup/models`, by id. Their input shape follows the data (or the views). */
export const builtinModels: Record<string, ModelEntry> = {
  'small-cnn': {
    description: '4 × conv3×3-BN-ReLU (32-64-128-128), global average pool: 128 features, 240k parameters',
    options: section({
      widths: z.array(positiveInteger()).min(1).default([32, 64, 128, 128]).describe('channels of each block'),
      strides: z.array(positiveInteger()).min(1).default([1, 2, 2, 2]).describe('stride of each block'),
    }).refine((o) => o.widths.length === o.strides.length, {
      message: 'widths and strides must have the same length',
    }),
    create: (o, context) =>
      createSmallCnn({ ...common(context), widths: o.widths as number[], strides: o.strides as number[] }),
  },
  resnet18: {
    description: 'CIFAR ResNet-18 (3×3 stem, no max pool): 512·width features',
    options: section({ width: z.number().positive().default(1).describe('channel multiplier') }),
    create: (o, context) => createResNet18({ ...common(context), width: o.width as number }),
  },
  vit: {
    description: 'Vision Transformer, ViT-tiny sizes by default: dim features',
    options: section({
      patchSize: positiveInteger().default(4),
      dim: positiveInteger().default(192),
      depth: positiveInteger().default(12),
      heads: positiveInteger().default(3),
      mlpRatio: z.number().positive().default(4),
    }),
    create: (o, context) => createVitTiny({ ...common(context), ...(o as object) }),
  },
};
