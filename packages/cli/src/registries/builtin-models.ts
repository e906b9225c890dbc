import { createResNet18, createSmallCnn, createTextTransformer, createVitTiny } from '@selfsup/models';
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
      weightInit: z
        .enum(['he-normal', 'fan-in-uniform'])
        .default('he-normal')
        .describe('`fan-in-uniform` is PyTorch’s default (U(±1/√fan_in)); it trains the reference SimCLR recipe best'),
    }).refine((o) => o.widths.length === o.strides.length, {
      message: 'widths and strides must have the same length',
    }),
    create: (o, context) =>
      createSmallCnn({
        ...common(context),
        widths: o.widths as number[],
        strides: o.strides as number[],
        weightInit: o.weightInit as 'he-normal' | 'fan-in-uniform',
      }),
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
  'text-transformer': {
    modality: 'text',
    description:
      'pre-LN transformer over token ids with a tied MLM head (BERT-style); vocabulary and length come from data.tokenizer and data.sequenceLength',
    options: section({
      dim: positiveInteger().default(128).describe('token width'),
      depth: positiveInteger().default(2).describe('transformer blocks'),
      heads: positiveInteger().default(4).describe('attention heads (must divide dim)'),
      mlpRatio: z.number().positive().default(4).describe('MLP hidden size as a multiple of dim'),
      pooling: z.enum(['mean', 'cls']).default('mean').describe('the sentence feature: mean of tokens or the first'),
    }).refine((o) => o.dim % o.heads === 0, { message: 'heads must divide dim' }),
    create: (o, context) => {
      if (context.tokens === undefined) throw new Error('text-transformer needs text data (data.kind text-corpus)');
      return createTextTransformer({
        ...(o as object),
        vocabSize: context.tokens.vocabSize,
        maxLength: context.tokens.sequenceLength,
        padTokenId: context.tokens.padTokenId,
        seed: context.seed,
      });
    },
  },
};
