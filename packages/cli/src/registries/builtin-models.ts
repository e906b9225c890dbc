import { z } from 'zod';
import { positiveInteger, section } from '../config/schema-parts.js';
import type { ModelContext, ModelEntry } from './entries.js';

/** `@selfsup/models`, imported when an encoder is made: listing and validating load no tfjs. */
const models = () => import('@selfsup/models');

/** The corpus facts a text encoder is sized by. @throws when the data is not text. */
function tokensOf(context: ModelContext, kind: string): NonNullable<ModelContext['tokens']> {
  if (context.tokens === undefined) throw new Error(`${kind} needs text data (data.kind text-corpus)`);
  return context.tokens;
}

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
    create: async (o, context) =>
      (await models()).createSmallCnn({
        ...common(context),
        widths: o.widths as number[],
        strides: o.strides as number[],
        weightInit: o.weightInit as 'he-normal' | 'fan-in-uniform',
      }),
  },
  resnet18: {
    description: 'CIFAR ResNet-18 (3×3 stem, no max pool): 512·width features',
    options: section({ width: z.number().positive().default(1).describe('channel multiplier') }),
    create: async (o, context) => (await models()).createResNet18({ ...common(context), width: o.width as number }),
  },
  vit: {
    description: 'Vision Transformer, ViT-tiny sizes by default: dim features',
    options: section({
      patchSize: positiveInteger().default(4).describe('side of a square patch in pixels; divides the image side'),
      dim: positiveInteger().default(192).describe('token width (the feature size)'),
      depth: positiveInteger().default(12).describe('transformer blocks'),
      heads: positiveInteger().default(3).describe('attention heads (must divide dim)'),
      mlpRatio: z.number().positive().default(4).describe('MLP hidden size as a multiple of dim'),
    }),
    create: async (o, context) => (await models()).createVitTiny({ ...common(context), ...(o as object) }),
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
    create: async (o, context) => {
      const tokens = tokensOf(context, 'text-transformer');
      const { createTextTransformer } = await models();
      return createTextTransformer({
        ...(o as object),
        vocabSize: tokens.vocabSize,
        maxLength: tokens.sequenceLength,
        padTokenId: tokens.padTokenId,
        seed: context.seed,
      });
    },
  },
  'text-encoder-decoder': {
    modality: 'text',
    description:
      'T5-style encoder-decoder (shared embeddings, pre-LN blocks) for t5-span-corruption; its encoder (mean of the outputs) is what is probed and exported',
    options: section({
      dim: positiveInteger().default(128).describe('token width'),
      encoderDepth: positiveInteger().default(2).describe('encoder blocks'),
      decoderDepth: positiveInteger().default(2).describe('decoder blocks'),
      heads: positiveInteger().default(4).describe('attention heads (must divide dim)'),
      mlpRatio: z.number().positive().default(4).describe('MLP hidden size as a multiple of dim'),
    }).refine((o) => o.dim % o.heads === 0, { message: 'heads must divide dim' }),
    create: async (o, context) => {
      const tokens = tokensOf(context, 'text-encoder-decoder');
      const { createTextEncoderDecoder } = await models();
      // Corrupted inputs and span targets are at most one token longer than the packed sequence.
      return createTextEncoderDecoder({
        ...(o as object),
        vocabSize: tokens.vocabSize,
        maxInputLength: tokens.sequenceLength + 1,
        maxTargetLength: tokens.sequenceLength + 1,
        padTokenId: tokens.padTokenId,
        seed: context.seed,
      });
    },
  },
  word2vec: {
    modality: 'text',
    description:
      'word2vec’s word and context vectors (Mikolov et al. 2013) for skip-gram and cbow; features: a token’s word vector, or the mean over a sequence’s tokens',
    options: section({ dim: positiveInteger().default(100).describe('vector width') }),
    create: async (o, context) => {
      const tokens = tokensOf(context, 'word2vec');
      const { createWord2Vec } = await models();
      return createWord2Vec({
        dim: o.dim as number,
        vocabSize: tokens.vocabSize,
        padTokenId: tokens.padTokenId,
        seed: context.seed,
      });
    },
  },
};
