import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { z } from 'zod';
import { type ModelDeclaration, tokensOf } from './model-declaration.js';
import type { TextTransformerOptions } from './text-transformer.js';

/** The defaults of `createTextTransformer`: width 128, 2 blocks, 4 heads, MLP 4×, mean pooling. */
export const TEXT_TRANSFORMER_DEFAULTS: Required<
  Pick<TextTransformerOptions, 'dim' | 'depth' | 'heads' | 'mlpRatio' | 'pooling'>
> = { dim: 128, depth: 2, heads: 4, mlpRatio: 4, pooling: 'mean' };

const options = section({
  dim: positiveInteger().default(TEXT_TRANSFORMER_DEFAULTS.dim).describe('token width'),
  depth: positiveInteger().default(TEXT_TRANSFORMER_DEFAULTS.depth).describe('transformer blocks'),
  heads: positiveInteger().default(TEXT_TRANSFORMER_DEFAULTS.heads).describe('attention heads (must divide dim)'),
  mlpRatio: z
    .number()
    .positive()
    .default(TEXT_TRANSFORMER_DEFAULTS.mlpRatio)
    .describe('MLP hidden size as a multiple of dim'),
  pooling: z
    .enum(['mean', 'cls'])
    .default(TEXT_TRANSFORMER_DEFAULTS.pooling)
    .describe('the sentence feature: mean of tokens or the first'),
}).refine((o) => o.dim % o.heads === 0, { message: 'heads must divide dim' });

/** `text-transformer`: `createTextTransformer` by id, sized by the tokenizer and the sequence length. */
export const textTransformerDeclaration: ModelDeclaration = {
  id: 'text-transformer',
  modality: 'text',
  description:
    'pre-LN transformer over token ids with a tied MLM head (BERT-style); vocabulary and length come from data.tokenizer and data.sequenceLength',
  options,
  create: async (o: z.output<typeof options>, context) => {
    const tokens = tokensOf(context, 'text-transformer');
    return (await import('./text-transformer.js')).createTextTransformer({
      ...o,
      vocabSize: tokens.vocabSize,
      maxLength: tokens.sequenceLength,
      padTokenId: tokens.padTokenId,
      seed: context.seed,
    });
  },
};
